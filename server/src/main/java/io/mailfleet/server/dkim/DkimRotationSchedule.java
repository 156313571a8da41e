package io.mailfleet.server.dkim;

import io.mailfleet.core.service.GuardedTick;
import io.mailfleet.server.cluster.OldestMember;
import org.apache.pekko.actor.typed.ActorSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link DkimRotationCheck} every interval on the oldest cluster member only (file reads and
 * a DNS look-up, on its own thread: never on an actor or event-loop thread). The check's directory
 * lock keeps a second runner harmless while the members' views of who is oldest differ.
 */
public final class DkimRotationSchedule implements AutoCloseable {

    private final ScheduledExecutorService worker;
    private final GuardedTick tick;

    private DkimRotationSchedule(ScheduledExecutorService worker, GuardedTick tick) {
        this.worker = worker;
        this.tick = tick;
    }

    /** Starts the periodic check; the first run is one interval after start. */
    public static DkimRotationSchedule start(ActorSystem<?> system, DkimRotationCheck check, Duration interval) {
        ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dkim-rotation");
            t.setDaemon(true);
            return t;
        });
        GuardedTick tick = new GuardedTick("dkim-rotation", () -> {
            if (!OldestMember.isSelf(system)) {
                return;
            }
            try {
                check.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.scheduleWithFixedDelay(tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new DkimRotationSchedule(worker, tick);
    }

    /** The scheduled run, for health checks. */
    public GuardedTick tick() {
        return tick;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
