package io.mailfleet.cluster.mailbox;

import java.util.List;
import java.util.Map;

/** The immutable, serialisable form of a {@link MailboxState} used for snapshots. */
public record MailboxSnapshot(List<Folder> folders, Map<String, Long> deliveries, long highestModseq,
                              long usedBytes) {

    /** One folder with its messages in uid order. */
    public record Folder(String name, long uidValidity, long uidNext, String specialUse, boolean subscribed,
                         List<MessageMeta> messages) {
    }
}
