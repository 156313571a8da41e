package io.mailfleet.core.greylist;

import java.time.Duration;
import java.util.Objects;

/**
 * How greylisting judges a triplet.
 *
 * @param delay                how long after the first attempt a retry passes ({@code POSTGREY_DELAY})
 * @param maxAge               how long an unused triplet or client is remembered ({@code POSTGREY_MAX_AGE})
 * @param autoWhitelistClients after how many passed retries a client network skips greylisting
 *                             ({@code POSTGREY_AUTO_WHITELIST_CLIENTS}; 0 never)
 * @param flushInterval        how long decisions stay in memory only before one batched journal write:
 *                             the most a crash can forget
 */
public record GreylistPolicy(Duration delay, Duration maxAge, int autoWhitelistClients, Duration flushInterval) {

    public GreylistPolicy {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(flushInterval, "flushInterval");
        if (delay.isNegative() || maxAge.isNegative() || maxAge.isZero() || autoWhitelistClients < 0
                || flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("bad greylist policy " + delay + " " + maxAge + " "
                    + autoWhitelistClients + " " + flushInterval);
        }
    }

    /** docker-mailserver's defaults: 300 s, 35 days, 5 clients; decisions written every 5 s. */
    public static GreylistPolicy defaults() {
        return new GreylistPolicy(Duration.ofSeconds(300), Duration.ofDays(35), 5, Duration.ofSeconds(5));
    }
}
