package io.mailfleet.protocols.outbound;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Postfix {@code smtp_tls_policy_maps} table: {@code destination level [match=a:b]} per line.
 * Destinations are a recipient domain ({@code example.com}), {@code .example.com} for its
 * subdomains, or a relay nexthop as written in the relay settings ({@code [relay.example]:587}).
 */
public final class TlsPolicyMap {

    private static final TlsPolicyMap EMPTY = new TlsPolicyMap(Map.of());

    private final Map<String, TlsRequirement> entries;

    private TlsPolicyMap(Map<String, TlsRequirement> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static TlsPolicyMap empty() {
        return EMPTY;
    }

    /**
     * Parses the file's lines; blanks and {@code #} comments are skipped.
     *
     * @param name the file name for messages
     * @throws IllegalArgumentException naming the file and line of the first bad entry
     */
    public static TlsPolicyMap parse(String name, List<String> lines) {
        Map<String, TlsRequirement> out = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                Map.Entry<String, TlsRequirement> e = parseLine(l);
                if (out.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("destination '" + e.getKey() + "' is listed twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new TlsPolicyMap(out);
    }

    private static Map.Entry<String, TlsRequirement> parseLine(String line) {
        String[] parts = line.split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("expected 'destination level [match=name:name]', got '" + line + "'");
        }
        String key = key(parts[0]);
        TlsPolicy level = TlsPolicy.parse(parts[1]);
        List<String> match = new ArrayList<>();
        for (int i = 2; i < parts.length; i++) {
            String attr = parts[i];
            if (!attr.toLowerCase(Locale.ROOT).startsWith("match=")) {
                throw new IllegalArgumentException("unsupported attribute '" + attr + "' (only match= is supported)");
            }
            if (!level.authenticates()) {
                throw new IllegalArgumentException("match= applies to the verify and secure levels, not to "
                        + level.configName());
            }
            for (String m : attr.substring(6).split(":")) {
                if (m.isBlank()) {
                    throw new IllegalArgumentException("empty name in '" + attr + "'");
                }
                match.add(m);
            }
        }
        return Map.entry(key, new TlsRequirement(level, match));
    }

    /** The normalized form of a destination: lower case; {@code [host]:25} and {@code host:port} as given. */
    private static String key(String destination) {
        String d = destination.toLowerCase(Locale.ROOT);
        if (d.startsWith("[") || d.indexOf(':') > 0) {
            NextHop h = NextHop.parse(d);
            return h.toString();
        }
        if (d.chars().anyMatch(c -> c <= ' ' || c == '@' || c == '[' || c == ']')) {
            throw new IllegalArgumentException("'" + destination + "' is not a domain or [host]:port");
        }
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    /**
     * The entry for a nexthop: the exact nexthop ({@code [host]:port}, {@code host:port}, or the
     * domain), else, for a domain, the closest {@code .parent} entry.
     */
    public Optional<TlsRequirement> lookup(NextHop nextHop) {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        TlsRequirement r = entries.get(nextHop.toString());
        if (r == null && nextHop.mxLookup() && nextHop.port() == NextHop.SMTP_PORT) {
            String d = nextHop.host();
            r = entries.get(d);
            for (int dot = d.indexOf('.'); r == null && dot >= 0; dot = d.indexOf('.', dot + 1)) {
                r = entries.get(d.substring(dot));
            }
        }
        return Optional.ofNullable(r);
    }

    /** Every entry by its normalized destination, sorted: for showing the table. */
    public java.util.SortedMap<String, TlsRequirement> entries() {
        return java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(entries));
    }

    public int size() {
        return entries.size();
    }
}
