package io.mailfleet.core.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * One tick of a recurring background task (a certificate watcher, a config poller, a scheduled
 * collection), run so that no failure ends the schedule: every {@link Throwable} is caught, an
 * {@link OutOfMemoryError} or other {@link VirtualMachineError} included, because a periodic
 * executor silently drops a task whose run threw, which is worse than one failed tick. The failure
 * is logged when the task starts failing or fails differently (not on every tick), its recovery is
 * logged, and {@link #health()} tells a health check whether the last tick failed.
 */
public final class GuardedTick implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedTick.class);

    /**
     * What a health check needs to know about one background task.
     *
     * @param failingSince when the current run of failures began (null while healthy)
     */
    public record Health(String name, boolean failing, long failures, String lastError, Instant failingSince,
                         Instant lastSuccess) {
    }

    private final String name;
    private final Runnable tick;
    private volatile boolean failing;
    private volatile long failures;
    private volatile String lastError;
    private volatile Instant failingSince;
    private volatile Instant lastSuccess;

    public GuardedTick(String name, Runnable tick) {
        this.name = name;
        this.tick = tick;
    }

    public String name() {
        return name;
    }

    @Override
    public void run() {
        try {
            tick.run();
            lastSuccess = Instant.now();
            if (failing) {
                failing = false;
                LOG.info("background task {} recovered after {} failed run(s)", name, failures);
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    private void failed(Throwable t) {
        String error = String.valueOf(t);
        boolean news = !failing || !error.equals(lastError);
        if (!failing) {
            failingSince = Instant.now();
        }
        failing = true;
        failures++;
        lastError = error;
        if (news) {
            try {
                LOG.error("background task {} failed; it runs again at its next tick: {}", name, error, t);
            } catch (Throwable logFailure) {
                // with the heap exhausted even logging may fail; the state above still reaches health checks
            }
        }
    }

    public Health health() {
        return new Health(name, failing, failures, lastError, failing ? failingSince : null, lastSuccess);
    }
}
