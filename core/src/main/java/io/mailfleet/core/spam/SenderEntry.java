package io.mailfleet.core.spam;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of an account's sender allow or block list, in its normal form: an address
 * ({@code user@x.test}), a domain ({@code x.test}, also written {@code @x.test} or {@code *@x.test} as
 * SpamAssassin's {@code whitelist_from} does) or a domain with its subdomains ({@code *.x.test}).
 */
public final class SenderEntry {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern LOCAL = Pattern.compile("[\\x21-\\x7e&&[^@\"\\\\]]{1,64}");

    /** How specific an entry is: the most specific matching entry decides between the two lists. */
    public enum Kind {
        /** {@code *.x.test}: the domain and every subdomain. */
        SUBDOMAINS,
        /** {@code x.test}: that domain only. */
        DOMAIN,
        /** {@code user@x.test}: that address only. */
        ADDRESS
    }

    private SenderEntry() {
    }

    /** The normal form of {@code text}, or empty when it is no address, domain or {@code *.domain}. */
    public static Optional<String> normalize(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("<") && t.endsWith(">")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.startsWith("*@")) {
            t = t.substring(2);
        } else if (t.startsWith("@")) {
            t = t.substring(1);
        }
        if (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        int at = t.lastIndexOf('@');
        if (at >= 0) {
            String local = t.substring(0, at);
            return LOCAL.matcher(local).matches() && domain(t.substring(at + 1)) ? Optional.of(t) : Optional.empty();
        }
        if (t.startsWith("*.")) {
            return domain(t.substring(2)) ? Optional.of(t) : Optional.empty();
        }
        return domain(t) ? Optional.of(t) : Optional.empty();
    }

    private static boolean domain(String d) {
        if (d.isEmpty() || d.length() > 253 || !d.contains(".")) {
            return false;
        }
        for (String label : d.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** What sort of entry a normalized {@code entry} is. */
    public static Kind kind(String entry) {
        return entry.contains("@") ? Kind.ADDRESS : entry.startsWith("*.") ? Kind.SUBDOMAINS : Kind.DOMAIN;
    }

    /**
     * Whether the normalized {@code entry} covers {@code sender} (a reverse-path, compared without case;
     * a {@code +detail} is part of the address, as SpamAssassin compares it).
     */
    public static boolean matches(String entry, String sender) {
        if (sender == null || sender.isEmpty()) {
            return false;
        }
        String s = sender.toLowerCase(Locale.ROOT);
        int at = s.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String domain = s.substring(at + 1);
        return switch (kind(entry)) {
            case ADDRESS -> entry.equals(s);
            case DOMAIN -> entry.equals(domain);
            case SUBDOMAINS -> {
                String base = entry.substring(2);
                yield domain.equals(base) || domain.endsWith("." + base);
            }
        };
    }
}
