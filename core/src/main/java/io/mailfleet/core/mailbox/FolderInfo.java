package io.mailfleet.core.mailbox;

/**
 * A folder's attributes and counters (STATUS, LIST-STATUS), or a subscription whose folder does not
 * exist (any more): {@link #exists()} false, counters zero.
 */
public record FolderInfo(String name, String specialUse, boolean subscribed, long uidValidity, long uidNext,
                         int messages, int unseen, int recent, long size, long highestModseq) {

    /** A subscribed name without a folder: DELETE leaves subscriptions alone (RFC 3501 §6.3.6). */
    public static FolderInfo subscriptionOnly(String name) {
        return new FolderInfo(name, null, true, 0, 0, 0, 0, 0, 0, 0);
    }

    /** False for a subscription whose folder does not exist; a real folder's UIDVALIDITY is never 0. */
    public boolean exists() {
        return uidValidity != 0;
    }
}
