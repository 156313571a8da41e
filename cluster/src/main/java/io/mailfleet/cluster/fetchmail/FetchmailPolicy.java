package io.mailfleet.cluster.fetchmail;

import java.time.Duration;

/**
 * How often a source is polled and how a failing one backs off: after n consecutive failures the next
 * poll waits {@code interval * 2^n}, at most {@code max(interval, maxBackoff)}.
 */
public record FetchmailPolicy(Duration interval, Duration maxBackoff) {

    /** The wait before the next poll after {@code failures} consecutive failed polls. */
    public Duration delayAfter(int failures) {
        if (failures <= 0) {
            return interval;
        }
        Duration cap = interval.compareTo(maxBackoff) > 0 ? interval : maxBackoff;
        long factor = 1L << Math.min(failures, 20);
        long millis = interval.toMillis() > cap.toMillis() / factor ? cap.toMillis() : interval.toMillis() * factor;
        return Duration.ofMillis(Math.min(millis, cap.toMillis()));
    }
}
