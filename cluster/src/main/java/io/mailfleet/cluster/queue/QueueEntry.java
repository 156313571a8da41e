package io.mailfleet.cluster.queue;

/** A queued message with its remote delivery progress, as operators see it. */
public record QueueEntry(QueuedMessage message, MessageProgress progress) {
}
