package io.mailfleet.protocols.netty;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Counts repeated events and lets one log line through per interval, carrying how many happened
 * since the last line, so a flood (accept errors, refused connections) costs a line a minute, not a
 * line per event.
 */
public final class EventThrottle {

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long suppressed;
    private long lastReport;
    private boolean reported;

    /** A throttle on the JVM's monotonic clock. */
    public EventThrottle(Duration interval) {
        this(interval, System::nanoTime);
    }

    EventThrottle(Duration interval, LongSupplier nanoClock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the report interval must be positive, got " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Records one event. Returns how many events (this one included) the caller should report now,
     * or 0 when a line was already written within the interval and this event is only counted.
     */
    public synchronized long record() {
        long now = nanoClock.getAsLong();
        suppressed++;
        if (reported && now - lastReport < intervalNanos) {
            return 0;
        }
        long n = suppressed;
        suppressed = 0;
        lastReport = now;
        reported = true;
        return n;
    }
}
