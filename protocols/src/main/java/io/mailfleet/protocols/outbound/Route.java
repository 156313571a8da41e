package io.mailfleet.protocols.outbound;

/**
 * How mail from one sender to one recipient domain leaves.
 *
 * @param nextHop     where to connect: the recipient domain's MX, or a relay
 * @param relayed     true when {@code nextHop} is a relay host rather than the recipient domain
 * @param credentials relay login or null
 * @param tlsPolicy   MAY normally; ENCRYPT whenever any relay credentials are configured (docker-mailserver RELAY-06)
 */
public record Route(NextHop nextHop, boolean relayed, SaslCredentials credentials, TlsPolicy tlsPolicy) {

    /** The key deliveries on this route share for concurrency limits and connection reuse. */
    public String destination() {
        return relayed ? nextHop.toString() : nextHop.host();
    }
}
