package io.mailfleet.server.jmx;

/** The mail queue over JMX: depth and age across the cluster, this node's delivery counters, flush. */
public interface QueueMXBean {

    /** Messages queued on every partition. */
    int getDepth();

    /** Messages waiting after a failed (temporary) delivery attempt. */
    int getDeferredCount();

    /** Seconds the oldest queued message has waited, 0 when the queue is empty. */
    long getOldestAgeSeconds();

    /** Targets delivered by the partitions running on this node. */
    long getDeliveredCount();

    /** Targets that failed for good (returned to the sender) on this node. */
    long getBouncedCount();

    /** Remote attempts that ended with a temporary failure on this node. */
    long getDeferredAttempts();

    /** Retries every queued message now, ignoring the back-off; returns how many were flushed. */
    int flush();

    /** Retries one message now; returns 1, or 0 when the id is not queued. */
    int flush(String queueId);
}
