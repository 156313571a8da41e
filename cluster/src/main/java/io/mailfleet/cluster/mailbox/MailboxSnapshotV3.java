package io.mailfleet.cluster.mailbox;

import java.util.List;
import java.util.Map;

/**
 * Snapshot form of a {@link MailboxState}: {@link MailboxSnapshotV2} plus the subscribed names whose
 * folder does not exist (a DELETE keeps the subscription, RFC 3501 §6.3.6).
 */
public record MailboxSnapshotV3(List<MailboxSnapshotV2.Folder> folders, Map<String, Long> deliveries,
                                long highestModseq, long usedBytes, long nextUidValidity,
                                List<String> subscriptionsWithoutFolder) {
}
