package io.mailfleet.protocols.outbound;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link OutboundClient}.
 *
 * @param timeouts               per-stage timeouts
 * @param destinationConcurrency parallel deliveries per destination; more wait in a queue
 * @param idlePerDestination     idle connections kept per destination for reuse (0 disables reuse)
 * @param idleTimeout            how long an idle connection is kept
 * @param ioThreads              Netty event loop threads
 */
public record OutboundSettings(OutboundTimeouts timeouts, int destinationConcurrency, int idlePerDestination,
                               Duration idleTimeout, int ioThreads) {

    public OutboundSettings {
        Objects.requireNonNull(timeouts, "timeouts");
        if (destinationConcurrency < 1) {
            throw new IllegalArgumentException("destination concurrency must be at least 1, was " + destinationConcurrency);
        }
        if (idlePerDestination < 0) {
            throw new IllegalArgumentException("idle connections per destination must not be negative");
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle connection timeout must be positive, was " + idleTimeout);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("I/O threads must be at least 1, was " + ioThreads);
        }
    }

    /** Postfix defaults: 20 per destination (default_destination_concurrency_limit), 2 s connection cache. */
    public static OutboundSettings defaults() {
        return new OutboundSettings(OutboundTimeouts.postfixDefaults(), 20, 4, Duration.ofSeconds(2), 2);
    }

    public OutboundSettings withTimeouts(OutboundTimeouts t) {
        return new OutboundSettings(t, destinationConcurrency, idlePerDestination, idleTimeout, ioThreads);
    }

    public OutboundSettings withDestinationConcurrency(int n) {
        return new OutboundSettings(timeouts, n, idlePerDestination, idleTimeout, ioThreads);
    }

    public OutboundSettings withIdle(int perDestination, Duration timeout) {
        return new OutboundSettings(timeouts, destinationConcurrency, perDestination, timeout, ioThreads);
    }
}
