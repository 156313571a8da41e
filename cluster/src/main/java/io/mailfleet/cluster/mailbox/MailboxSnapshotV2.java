package io.mailfleet.cluster.mailbox;

import io.mailfleet.core.mime.MessageSummary;

import java.util.List;
import java.util.Map;

/** Snapshot form of a {@link MailboxState} with summaries, expunge records and recent boundaries. */
public record MailboxSnapshotV2(List<Folder> folders, Map<String, Long> deliveries, long highestModseq,
                                long usedBytes, long nextUidValidity) {

    /** One folder: messages in uid order, summaries by uid, expunged uid to modseq. */
    public record Folder(String name, long uidValidity, long uidNext, String specialUse, boolean subscribed,
                         long highestModseq, long recentBoundary, List<MessageMeta> messages,
                         Map<Long, MessageSummary> summaries, Map<Long, Long> expunged) {
    }
}
