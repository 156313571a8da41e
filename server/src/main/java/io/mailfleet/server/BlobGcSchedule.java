package io.mailfleet.server;

import io.mailfleet.cluster.blobgc.BlobCollector;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Runs blob garbage collection every {@code interval} on one node of the cluster: the oldest Up
 * member, so a cluster does it once per interval rather than once per node (a second concurrent run
 * elsewhere would only repeat the work: deleting a deleted blob is no error).
 */
final class BlobGcSchedule implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlobGcSchedule.class);

    private final Cancellable timer;
    private final io.mailfleet.core.service.GuardedTick tick;

    private BlobGcSchedule(Cancellable timer, io.mailfleet.core.service.GuardedTick tick) {
        this.timer = timer;
        this.tick = tick;
    }

    /** The scheduled run, for the node's readiness check. */
    io.mailfleet.core.service.GuardedTick tick() {
        return tick;
    }

    /** Starts the schedule; the first run is one interval after start, never during start-up. */
    static BlobGcSchedule start(ActorSystem<?> system, BlobCollector collector, Duration interval) {
        // Pekko's scheduler cancels a repeated task whose run threw: the guard keeps it scheduled
        io.mailfleet.core.service.GuardedTick tick = new io.mailfleet.core.service.GuardedTick("blob-collection", () -> {
            if (io.mailfleet.server.cluster.OldestMember.isSelf(system)) {
                collector.run(false);
            }
        });
        Cancellable timer = system.scheduler().scheduleWithFixedDelay(interval, interval, tick,
                system.executionContext());
        LOG.info("blob collection every {} on the oldest cluster member", interval);
        return new BlobGcSchedule(timer, tick);
    }

    @Override
    public void close() {
        timer.cancel();
    }
}
