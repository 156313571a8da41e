package io.mailfleet.protocols.outbound;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The TLS level of one destination with the certificate names that {@code verify} and
 * {@code secure} accept, as in a Postfix {@code smtp_tls_policy_maps} entry
 * ({@code secure match=nexthop:dot-nexthop}).
 *
 * @param level the security level
 * @param match name patterns: {@code hostname} (the MX host name), {@code nexthop} (the nexthop
 *              domain), {@code dot-nexthop} (any subdomain of it), a literal name, or a literal
 *              {@code .domain} for any subdomain; empty means the level's default
 */
public record TlsRequirement(TlsPolicy level, List<String> match) {

    public TlsRequirement {
        Objects.requireNonNull(level, "TLS level");
        match = match == null ? List.of() : match.stream().map(m -> m.strip().toLowerCase(Locale.ROOT)).toList();
        if (match.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("empty name in match=");
        }
    }

    public static TlsRequirement of(TlsPolicy level) {
        return new TlsRequirement(level, List.of());
    }

    /** The patterns in force: the given ones, else Postfix's defaults (verify: hostname; secure: nexthop, dot-nexthop). */
    public List<String> effectiveMatch() {
        if (!match.isEmpty()) {
            return match;
        }
        return level == TlsPolicy.SECURE ? List.of("nexthop", "dot-nexthop") : List.of("hostname");
    }
}
