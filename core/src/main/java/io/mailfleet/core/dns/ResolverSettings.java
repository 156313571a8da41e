package io.mailfleet.core.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the node's DNS resolver asks and caches.
 *
 * @param servers      recursive resolvers asked in order (the first that answers wins)
 * @param timeout      per query, retries and TCP fallback included
 * @param cacheEntries most answers kept (least recently used dropped first)
 * @param cacheBytes   most record data kept, so a flood of huge TXT answers cannot exhaust memory
 * @param maxTtl       cap on how long any answer is kept, whatever its TTL says
 */
public record ResolverSettings(List<InetSocketAddress> servers, Duration timeout, int cacheEntries, long cacheBytes,
                               Duration maxTtl) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;
    public static final long DEFAULT_CACHE_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(6);

    public ResolverSettings {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one DNS server is needed");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive, was " + timeout);
        }
        if (cacheEntries < 0 || cacheBytes < 0) {
            throw new IllegalArgumentException("DNS cache bounds must not be negative");
        }
        if (maxTtl == null || maxTtl.isNegative()) {
            throw new IllegalArgumentException("DNS maximum TTL must not be negative, was " + maxTtl);
        }
    }

    /** One server with the default cache bounds. */
    public static ResolverSettings of(InetSocketAddress server, Duration timeout) {
        return new ResolverSettings(List.of(server), timeout, DEFAULT_CACHE_ENTRIES, DEFAULT_CACHE_BYTES,
                DEFAULT_MAX_TTL);
    }

    /** Same settings without a cache (every question goes to the server). */
    public ResolverSettings withoutCache() {
        return new ResolverSettings(servers, timeout, 0, 0, maxTtl);
    }
}
