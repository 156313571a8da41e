package io.mailfleet.protocols.outbound;

import io.mailfleet.protocols.outbound.dane.DaneHost;
import java.util.Map;

import java.util.List;
import java.util.Objects;

/**
 * One message to one destination.
 *
 * @param destination key for the concurrency limit and connection cache (the recipient domain
 *                    or the relay nexthop, e.g. {@code example.com} or {@code [smtp.relay]:587})
 * @param hosts       hosts to try in order
 * @param heloName    the server hostname, said in EHLO/HELO
 * @param envelope    sender and recipients
 * @param message     the bytes (CRLF and dot-stuffing are applied while sending)
 * @param tlsPolicy   STARTTLS policy
 * @param credentials relay login or null
 * @param tlsMatch    certificate names {@code verify}/{@code secure} accept ({@link TlsRequirement#match()}); empty for the defaults
 * @param sts         the MTA-STS policy in force for the destination, or null when none applies
 * @param dane        at the {@code dane}/{@code dane-only} levels, each host's DANE verdict by host name; empty otherwise
 */
public record Delivery(String destination, List<TargetHost> hosts, String heloName, OutboundEnvelope envelope,
                       MessageSource message, TlsPolicy tlsPolicy, SaslCredentials credentials,
                       List<String> tlsMatch, StsDirective sts, Map<String, DaneHost> dane) {

    /** A delivery without DANE. */
    public Delivery(String destination, List<TargetHost> hosts, String heloName, OutboundEnvelope envelope,
                    MessageSource message, TlsPolicy tlsPolicy, SaslCredentials credentials,
                    List<String> tlsMatch, StsDirective sts) {
        this(destination, hosts, heloName, envelope, message, tlsPolicy, credentials, tlsMatch, sts, Map.of());
    }

    /** A delivery without an MTA-STS policy. */
    public Delivery(String destination, List<TargetHost> hosts, String heloName, OutboundEnvelope envelope,
                    MessageSource message, TlsPolicy tlsPolicy, SaslCredentials credentials, List<String> tlsMatch) {
        this(destination, hosts, heloName, envelope, message, tlsPolicy, credentials, tlsMatch, null, Map.of());
    }

    /** A delivery with the TLS level's default certificate names. */
    public Delivery(String destination, List<TargetHost> hosts, String heloName, OutboundEnvelope envelope,
                    MessageSource message, TlsPolicy tlsPolicy, SaslCredentials credentials) {
        this(destination, hosts, heloName, envelope, message, tlsPolicy, credentials, List.of(), null, Map.of());
    }

    public Delivery {
        tlsMatch = tlsMatch == null ? List.of() : List.copyOf(tlsMatch);
        dane = dane == null ? Map.of() : Map.copyOf(dane);
        if (destination == null || destination.isBlank()) {
            throw new IllegalArgumentException("delivery destination is empty");
        }
        if (hosts == null || hosts.isEmpty()) {
            throw new IllegalArgumentException("delivery to " + destination + " has no host to try");
        }
        hosts = List.copyOf(hosts);
        if (heloName == null || heloName.isBlank() || heloName.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("invalid HELO name '" + heloName + "'");
        }
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(message, "message source");
        Objects.requireNonNull(tlsPolicy, "TLS policy");
    }

    /** The DANE verdict of a host, or null when DANE plays no part for it. */
    public DaneHost dane(String host) {
        return dane.get(host.toLowerCase(java.util.Locale.ROOT));
    }

    /** The TLS level and names of this delivery. */
    public TlsRequirement tls() {
        return new TlsRequirement(tlsPolicy, tlsMatch);
    }

    /** The nexthop domain {@code nexthop}/{@code dot-nexthop} match: the recipient domain or the relay host. */
    public String nextHopName() {
        try {
            return NextHop.parse(destination).host();
        } catch (IllegalArgumentException e) {
            return destination.toLowerCase(java.util.Locale.ROOT);
        }
    }
}
