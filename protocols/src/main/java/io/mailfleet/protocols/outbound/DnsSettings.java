package io.mailfleet.protocols.outbound;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Which DNS server the outbound path asks and how long it waits.
 *
 * @param server  recursive resolver (or, in tests, an authoritative test server), host:port
 * @param timeout per query, retries included
 */
public record DnsSettings(InetSocketAddress server, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public DnsSettings {
        Objects.requireNonNull(server, "DNS server address");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive, was " + timeout);
        }
    }

    /** The node resolver's settings for this server and timeout, with the default cache bounds. */
    public io.mailfleet.core.dns.ResolverSettings resolverSettings() {
        return io.mailfleet.core.dns.ResolverSettings.of(server, timeout);
    }

    /**
     * Parses {@code host}, {@code host:port} or {@code [v6]:port} (port 53 unless given).
     *
     * @throws IllegalArgumentException naming the problem when the value is malformed
     */
    public static DnsSettings parse(String address, Duration timeout) {
        NextHop parsed;
        try {
            parsed = NextHop.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DNS resolver address: " + e.getMessage(), e);
        }
        boolean portGiven = address.strip().matches(".*:\\d+$");
        int port = portGiven ? parsed.port() : 53;
        return new DnsSettings(new InetSocketAddress(parsed.host(), port), timeout);
    }
}
