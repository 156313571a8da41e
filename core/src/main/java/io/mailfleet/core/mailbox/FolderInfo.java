package io.mailfleet.core.mailbox;

/** A folder's attributes and counters (STATUS, LIST-STATUS). */
public record FolderInfo(String name, String specialUse, boolean subscribed, long uidValidity, long uidNext,
                         int messages, int unseen, int recent, long size, long highestModseq) {
}
