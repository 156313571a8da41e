package io.mailfleet.cluster.queue;

import java.util.concurrent.atomic.AtomicLong;

/** Delivery decisions taken by the partitions running on this node, for metrics and JMX. */
public final class QueueCounters {
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deferred = new AtomicLong();
    private final AtomicLong bounced = new AtomicLong();

    void count(TargetStatus.State state) {
        switch (state) {
            case DELIVERED -> delivered.incrementAndGet();
            case FAILED -> bounced.incrementAndGet();
            case PENDING -> deferred.incrementAndGet();
            case DISCARDED -> {
                // discards are neither deliveries nor failures
            }
        }
    }

    /** Targets delivered (to a mailbox or a remote server). */
    public long delivered() {
        return delivered.get();
    }

    /** Remote attempts that ended with a temporary failure. */
    public long deferred() {
        return deferred.get();
    }

    /** Targets that failed for good. */
    public long bounced() {
        return bounced.get();
    }
}
