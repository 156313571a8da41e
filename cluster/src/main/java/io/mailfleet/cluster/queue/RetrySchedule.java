package io.mailfleet.cluster.queue;

import java.time.Duration;
import java.time.Instant;

/**
 * When deferred mail is tried again: exponential back-off from {@code first} doubling up to {@code max}
 * between attempts, and given up (bounced) once the message is older than {@code lifetime}. Postfix's
 * defaults are 300 s, 4000 s and 5 days (minimal_backoff_time, maximal_backoff_time,
 * maximal_queue_lifetime).
 */
public record RetrySchedule(Duration first, Duration max, Duration lifetime) {
    public RetrySchedule {
        if (first == null || first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("first retry delay must be positive, was " + first);
        }
        if (max == null || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("maximum retry interval " + max + " must be at least the first retry delay " + first);
        }
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("queue lifetime must be positive, was " + lifetime);
        }
    }

    public static RetrySchedule postfixDefaults() {
        return new RetrySchedule(Duration.ofSeconds(300), Duration.ofSeconds(4000), Duration.ofDays(5));
    }

    /** Delay after the given number of failed rounds (1 for the first deferral). */
    public Duration backoff(int failedRounds) {
        Duration d = first;
        for (int i = 1; i < failedRounds && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    /** The next attempt after a deferral at {@code now}, never later than the expiry of the message. */
    public Instant next(Instant receivedAt, int failedRounds, Instant now) {
        Instant next = now.plus(backoff(failedRounds));
        Instant expires = receivedAt.plus(lifetime);
        return next.isAfter(expires) ? (expires.isBefore(now) ? now : expires) : next;
    }

    public boolean expired(Instant receivedAt, Instant now) {
        return !now.isBefore(receivedAt.plus(lifetime));
    }
}
