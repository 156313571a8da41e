package io.mailfleet.protocols.netty;

import java.time.Duration;
import java.util.List;

/**
 * PROXY protocol settings of one listener: the proxies allowed to send the header and how long to
 * wait for it after accept.
 */
public record ProxyProtocol(List<Cidr> trustedProxies, Duration headerTimeout) {

    /** Default wait for the header: a real proxy sends it at once. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);

    public ProxyProtocol {
        trustedProxies = List.copyOf(trustedProxies);
        if (headerTimeout == null || headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("PROXY header timeout must be positive, not " + headerTimeout);
        }
    }

    public static ProxyProtocol trusting(List<Cidr> trustedProxies) {
        return new ProxyProtocol(trustedProxies, DEFAULT_HEADER_TIMEOUT);
    }
}
