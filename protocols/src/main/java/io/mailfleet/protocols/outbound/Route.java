package io.mailfleet.protocols.outbound;

import java.util.List;

/**
 * How mail from one sender to one recipient domain leaves.
 *
 * @param nextHop     where to connect: the recipient domain's MX, or a relay
 * @param relayed     true when {@code nextHop} is a relay host rather than the recipient domain
 * @param credentials relay login or null
 * @param tlsPolicy   the global level ({@code may} by default) or the policy file's entry for the nexthop;
 *                    at least ENCRYPT whenever any relay credentials are configured (docker-mailserver RELAY-06)
 * @param tlsMatch    the policy file's {@code match=} names for {@code verify}/{@code secure}; empty for the defaults
 */
public record Route(NextHop nextHop, boolean relayed, SaslCredentials credentials, TlsPolicy tlsPolicy,
                    List<String> tlsMatch) {

    public Route {
        tlsMatch = tlsMatch == null ? List.of() : List.copyOf(tlsMatch);
    }

    /** A route with the level's default certificate names. */
    public Route(NextHop nextHop, boolean relayed, SaslCredentials credentials, TlsPolicy tlsPolicy) {
        this(nextHop, relayed, credentials, tlsPolicy, List.of());
    }

    /** The TLS level and names of this route. */
    public TlsRequirement tls() {
        return new TlsRequirement(tlsPolicy, tlsMatch);
    }

    /** The key deliveries on this route share for concurrency limits and connection reuse. */
    public String destination() {
        return relayed ? nextHop.toString() : nextHop.host();
    }
}
