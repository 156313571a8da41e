package io.mailfleet.core.spam.uribl;

import io.mailfleet.core.dnsbl.DnsblSite;
import io.mailfleet.core.dnsbl.ReplyFilter;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One symbol of a URL block list: {@code zone[=filter|&mask]:SYMBOL[*weight]}, e.g.
 * {@code dbl.spamhaus.org=127.0.1.[2..99]:DBL_SPAM*2.5} (a postscreen reply filter) or
 * {@code multi.uribl.com&2:URIBL_BLACK*1.7} (a bit of the last octet, as SURBL and URIBL encode
 * their sub-lists). Without filter or mask any answer in {@code 127.0.0.0/8} lists.
 *
 * @param zone   the list's DNS zone, lower case
 * @param filter the answers that list, or null
 * @param mask   the last-octet bits that list (answers {@code 127.0.0.x} only), or 0
 * @param symbol the scorer symbol it adds
 * @param weight the symbol's weight
 */
public record UriblEntry(String zone, ReplyFilter filter, int mask, String symbol, double weight) {

    private static final Pattern SYMBOL = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    public UriblEntry {
        Objects.requireNonNull(zone, "zone");
        zone = new DnsblSite(zone, null, 1).domain(); // the same zone syntax as postscreen's sites
        if (!SYMBOL.matcher(symbol).matches()) {
            throw new IllegalArgumentException("'" + symbol + "' is not a symbol name (A-Z, 0-9, _)");
        }
        if (!Double.isFinite(weight) || Math.abs(weight) > 1000) {
            throw new IllegalArgumentException("weight " + weight + " is not within -1000..1000");
        }
        if (mask < 0 || mask > 255 || filter != null && mask != 0) {
            throw new IllegalArgumentException("a mask is 1..255 and comes instead of a reply filter");
        }
    }

    /** Parses one entry; the message says what is wrong with it. */
    public static UriblEntry parse(String entry) {
        String rest = entry.trim();
        try {
            double weight = 1;
            int star = rest.lastIndexOf('*');
            if (star >= 0) {
                String w = rest.substring(star + 1);
                if (!w.matches("-?[0-9]{1,4}(\\.[0-9]{1,3})?")) {
                    throw new IllegalArgumentException("weight '" + w + "' is not a number such as 2.5");
                }
                weight = Double.parseDouble(w);
                rest = rest.substring(0, star);
            }
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("no :SYMBOL");
            }
            String symbol = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            ReplyFilter filter = null;
            int mask = 0;
            int eq = rest.indexOf('=');
            int amp = rest.indexOf('&');
            if (eq >= 0) {
                filter = ReplyFilter.parse(rest.substring(eq + 1));
                rest = rest.substring(0, eq);
            } else if (amp >= 0) {
                String m = rest.substring(amp + 1).toLowerCase(Locale.ROOT);
                try {
                    mask = m.startsWith("0x") ? Integer.parseInt(m.substring(2), 16) : Integer.parseInt(m);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("mask '" + m + "' is not a number 1..255");
                }
                if (mask < 1 || mask > 255) {
                    throw new IllegalArgumentException("mask '" + m + "' is not a number 1..255");
                }
                rest = rest.substring(0, amp);
            }
            return new UriblEntry(rest, filter, mask, symbol, weight);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("URL DNSBL entry '" + entry + "': " + e.getMessage());
        }
    }

    /** Whether the zone's answer {@code a} adds this symbol. */
    public boolean listedBy(InetAddress a) {
        if (!(a instanceof Inet4Address)) {
            return false;
        }
        byte[] b = a.getAddress();
        if (filter != null) {
            return filter.matches(a);
        }
        if (mask != 0) {
            return b[0] == 127 && b[1] == 0 && b[2] == 0 && (b[3] & mask) != 0;
        }
        return b[0] == 127;
    }

    /** The entry as written. */
    public String text() {
        String w = Double.toString(weight);
        return zone + (filter != null ? "=" + filter.text() : mask != 0 ? "&" + mask : "") + ":" + symbol
                + "*" + (w.endsWith(".0") ? w.substring(0, w.length() - 2) : w);
    }

    @Override
    public String toString() {
        return text();
    }
}
