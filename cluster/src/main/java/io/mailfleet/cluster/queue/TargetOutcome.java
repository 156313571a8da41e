package io.mailfleet.cluster.queue;

/**
 * The result of a remote delivery attempt for one target, kept for its delivery status notification.
 *
 * @param index         the target's index in {@link QueuedMessage#targets()}
 * @param status        the target's new status (PENDING when deferred)
 * @param dsnStatus     RFC 3463 status of the last answer, e.g. {@code 5.1.1}
 * @param remoteMta     the host that answered ({@code name[ip]:port}) or {@code none}
 * @param successNotice the remote took the message without DSN support, so a sender who asked for
 *                      NOTIFY=SUCCESS is owed a "relayed" notice by us
 */
public record TargetOutcome(int index, TargetStatus status, String dsnStatus, String remoteMta, boolean successNotice) {
}
