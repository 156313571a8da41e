package io.mailfleet.core.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One limit: at most {@code max} events per {@code window} for each key.
 *
 * @param name the limit's name in logs, the API and the CLI ({@code client-connections}, ...)
 */
public record RateLimit(String name, Duration window, long max) {

    public RateLimit {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero() || max < 1) {
            throw new IllegalArgumentException("bad rate limit " + name + ": " + max + " per " + window);
        }
    }
}
