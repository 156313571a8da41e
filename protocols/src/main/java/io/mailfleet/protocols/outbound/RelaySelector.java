package io.mailfleet.protocols.outbound;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the route for outbound mail the way docker-mailserver configures Postfix (§15):
 * a per-sender-domain relay from {@code postfix-relaymap.cf} first (a bare {@code @domain} opts the
 * domain out of {@code RELAY_HOST}), then {@code RELAY_HOST}:{@code RELAY_PORT} for domains the
 * server hosts, then {@code DEFAULT_RELAY_HOST}, else direct MX delivery. Credentials come from
 * {@code postfix-sasl-password.cf} by sender domain, then by relay nexthop, then
 * {@code RELAY_USER}/{@code RELAY_PASSWORD}. When any credentials exist, all outbound mail
 * requires TLS, as in docker-mailserver. The TLS level is the policy file's entry for the nexthop,
 * else the global level, raised to {@code encrypt} when credentials exist and the level is weaker.
 */
public final class RelaySelector {

    private final NextHop defaultRelay;
    private final NextHop relayHost;
    private final SaslCredentials relayCredentials;
    private final Map<String, Optional<NextHop>> relayMap;
    private final Map<String, SaslCredentials> saslPasswords;
    private final Set<String> localDomains;
    private final TlsPolicy tlsLevel;
    private final TlsPolicyMap tlsPolicies;

    /**
     * @param defaultRelayHost {@code DEFAULT_RELAY_HOST} or null/empty
     * @param relayHost        {@code RELAY_HOST} or null/empty (used as {@code [RELAY_HOST]:RELAY_PORT})
     * @param relayPort        {@code RELAY_PORT}
     * @param relayCredentials {@code RELAY_USER}/{@code RELAY_PASSWORD} or null
     * @param relayMap         sender domain (without {@code @}) to relay, empty for an opt-out line
     * @param saslPasswords    {@code @domain} or nexthop ({@code [host]:port}) to credentials
     * @param localDomains     domains this server hosts (the implicit map of {@code RELAY_HOST})
     * @throws IllegalArgumentException naming the bad setting
     */
    public RelaySelector(String defaultRelayHost, String relayHost, int relayPort, SaslCredentials relayCredentials,
                         Map<String, Optional<NextHop>> relayMap, Map<String, SaslCredentials> saslPasswords,
                         Set<String> localDomains) {
        this(defaultRelayHost, relayHost, relayPort, relayCredentials, relayMap, saslPasswords, localDomains,
                TlsPolicy.MAY, TlsPolicyMap.empty());
    }

    /**
     * As above, with the global TLS level ({@code smtp_tls_security_level}) and the per-destination
     * policy table ({@code smtp_tls_policy_maps}).
     */
    public RelaySelector(String defaultRelayHost, String relayHost, int relayPort, SaslCredentials relayCredentials,
                         Map<String, Optional<NextHop>> relayMap, Map<String, SaslCredentials> saslPasswords,
                         Set<String> localDomains, TlsPolicy tlsLevel, TlsPolicyMap tlsPolicies) {
        this.tlsLevel = tlsLevel;
        this.tlsPolicies = tlsPolicies;
        this.defaultRelay = blank(defaultRelayHost) ? null : parse("DEFAULT_RELAY_HOST", defaultRelayHost);
        this.relayHost = blank(relayHost) ? null
                : parse("RELAY_HOST", "[" + relayHost.strip().replaceAll("^\\[|\\]$", "") + "]:" + relayPort);
        this.relayCredentials = relayCredentials;
        this.relayMap = new HashMap<>();
        relayMap.forEach((d, h) -> this.relayMap.put(domainKey(d), h));
        this.saslPasswords = new HashMap<>();
        saslPasswords.forEach((k, v) -> this.saslPasswords.put(k.strip().toLowerCase(Locale.ROOT), v));
        this.localDomains = new HashSet<>();
        localDomains.forEach(d -> this.localDomains.add(domainKey(d)));
    }

    /** No relay at all: direct MX delivery with opportunistic TLS. */
    public static RelaySelector direct() {
        return new RelaySelector(null, null, 25, null, Map.of(), Map.of(), Set.of());
    }

    /** Parses a {@code postfix-relaymap.cf} line ({@code @domain [host]:port} or {@code @domain}); null for blanks/comments. */
    public static Map.Entry<String, Optional<NextHop>> parseRelayMapLine(String line) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
            return null;
        }
        String[] parts = l.split("\\s+");
        if (!parts[0].startsWith("@") || parts[0].length() < 2 || parts.length > 2) {
            throw new IllegalArgumentException("postfix-relaymap.cf line '" + line
                    + "': expected '@domain [host]:port' or '@domain'");
        }
        return Map.entry(parts[0].substring(1).toLowerCase(Locale.ROOT),
                parts.length == 1 ? Optional.empty() : Optional.of(parse("postfix-relaymap.cf", parts[1])));
    }

    /** Parses a {@code postfix-sasl-password.cf} line ({@code @domain user:secret} or {@code [host]:port user:secret}). */
    public static Map.Entry<String, SaslCredentials> parseSaslPasswordLine(String line) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
            return null;
        }
        String[] parts = l.split("\\s+", 2);
        int colon = parts.length == 2 ? parts[1].indexOf(':') : -1;
        if (colon <= 0) {
            throw new IllegalArgumentException("postfix-sasl-password.cf line for '" + parts[0]
                    + "': expected 'key user:password'");
        }
        return Map.entry(parts[0].toLowerCase(Locale.ROOT),
                new SaslCredentials(parts[1].substring(0, colon), parts[1].substring(colon + 1).strip()));
    }

    /** True when some relay login is configured, which makes TLS mandatory for all outbound mail. */
    public boolean credentialsConfigured() {
        return relayCredentials != null || !saslPasswords.isEmpty();
    }

    /**
     * What the selection is made of, for showing it to an operator; it holds which keys have credentials,
     * never a user name or password.
     *
     * @param defaultRelay         {@code DEFAULT_RELAY_HOST}
     * @param relayHost            {@code [RELAY_HOST]:RELAY_PORT}, used for the hosted domains
     * @param relayUserSet         whether {@code RELAY_USER}/{@code RELAY_PASSWORD} are set
     * @param senderDomainRelays   {@code postfix-relaymap.cf}: sender domain to relay, empty for an excluded domain
     * @param credentialKeys       the keys ({@code @domain} or {@code [host]:port}) of {@code postfix-sasl-password.cf}
     * @param localDomains         the hosted domains (the implicit relay map of {@code RELAY_HOST})
     * @param tlsLevel             the global outbound TLS level
     * @param effectiveTlsLevel    the level applied where the policy table has no entry (raised once credentials exist)
     * @param tlsPolicies          {@code postfix-tls-policy.cf} by destination
     */
    public record Summary(Optional<NextHop> defaultRelay, Optional<NextHop> relayHost, boolean relayUserSet,
                          java.util.SortedMap<String, Optional<NextHop>> senderDomainRelays,
                          java.util.SortedSet<String> credentialKeys, java.util.SortedSet<String> localDomains,
                          TlsPolicy tlsLevel, TlsPolicy effectiveTlsLevel,
                          java.util.SortedMap<String, TlsRequirement> tlsPolicies) {
    }

    /** This selection's settings, without secrets. */
    public Summary summary() {
        return new Summary(Optional.ofNullable(defaultRelay), Optional.ofNullable(relayHost), relayCredentials != null,
                java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(relayMap)),
                java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(saslPasswords.keySet())),
                java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(localDomains)),
                tlsLevel, credentialsConfigured() && !tlsLevel.mandatory() ? TlsPolicy.ENCRYPT : tlsLevel,
                tlsPolicies.entries());
    }

    /** The route for mail from {@code sender} (empty for the null sender) to {@code recipientDomain}. */
    public Route route(String sender, String recipientDomain) {
        String senderDomain = sender == null || sender.lastIndexOf('@') < 0 ? ""
                : domainKey(sender.substring(sender.lastIndexOf('@') + 1));
        NextHop relay = null;
        Optional<NextHop> mapped = relayMap.get(senderDomain);
        if (mapped != null && mapped.isPresent()) {
            relay = mapped.get();
        } else if (mapped == null && relayHost != null && localDomains.contains(senderDomain)) {
            relay = relayHost;
        } else if (defaultRelay != null) {
            relay = defaultRelay;
        }
        if (relay == null) {
            NextHop mx = NextHop.domain(domainKey(recipientDomain));
            TlsRequirement tls = tls(mx);
            return new Route(mx, false, null, tls.level(), tls.match());
        }
        SaslCredentials c = saslPasswords.get("@" + senderDomain);
        if (c == null) {
            c = saslPasswords.get(relay.toString());
        }
        if (c == null && (relay.equals(relayHost) || relay.equals(defaultRelay))) {
            c = relayCredentials;
        }
        TlsRequirement tls = tls(relay);
        return new Route(relay, true, c, tls.level(), tls.match());
    }

    /** True when {@code postfix-tls-policy.cf} has an entry for the nexthop; it then wins over MTA-STS. */
    public boolean tlsPolicyListed(NextHop nextHop) {
        return tlsPolicies.lookup(nextHop).isPresent();
    }

    private TlsRequirement tls(NextHop nextHop) {
        Optional<TlsRequirement> entry = tlsPolicies.lookup(nextHop);
        if (entry.isPresent()) {
            return entry.get();
        }
        // docker-mailserver sets smtp_tls_security_level=encrypt once a relay login exists (RELAY-06)
        boolean raise = credentialsConfigured() && !tlsLevel.mandatory();
        return TlsRequirement.of(raise ? TlsPolicy.ENCRYPT : tlsLevel);
    }

    private static NextHop parse(String setting, String value) {
        try {
            return NextHop.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
        }
    }

    private static String domainKey(String d) {
        String s = d.strip().toLowerCase(Locale.ROOT);
        return s.startsWith("@") ? s.substring(1) : s;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
