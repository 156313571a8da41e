package io.mailfleet.core.dnsbl;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of {@code postscreen_dnsbl_sites}: {@code domain[=filter][*weight]}.
 *
 * @param domain the list's DNS zone, lower case
 * @param filter the A records that count as a listing, or null: any address in {@code 127.0.0.0/8}
 *               (RFC 5782's range; answers outside it are errors of the list, not listings)
 * @param weight added to the client's score when the site lists it; negative for allow-lists
 */
public record DnsblSite(String domain, ReplyFilter filter, int weight) {

    private static final Pattern DOMAIN = Pattern.compile(
            "(?i)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)+");

    public DnsblSite {
        Objects.requireNonNull(domain, "domain");
        domain = domain.toLowerCase(Locale.ROOT);
        if (domain.length() > 190 || !DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("'" + domain + "' is not a DNS list domain");
        }
    }

    /** Parses one entry, e.g. {@code zen.spamhaus.org=127.0.0.[2..11]*3} or {@code list.dnswl.org*-2}. */
    public static DnsblSite parse(String entry) {
        String rest = entry.trim();
        int weight = 1;
        int star = rest.lastIndexOf('*');
        if (star >= 0) {
            String w = rest.substring(star + 1);
            if (!w.matches("-?[0-9]{1,6}")) {
                throw new IllegalArgumentException("DNSBL site '" + entry + "': weight '" + w + "' is not a whole number");
            }
            weight = Integer.parseInt(w);
            rest = rest.substring(0, star);
        }
        ReplyFilter filter = null;
        int eq = rest.indexOf('=');
        if (eq >= 0) {
            try {
                filter = ReplyFilter.parse(rest.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("DNSBL site '" + entry + "': " + e.getMessage());
            }
            rest = rest.substring(0, eq);
        }
        try {
            return new DnsblSite(rest, filter, weight);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DNSBL site '" + entry + "': " + e.getMessage());
        }
    }

    /** Whether an A record the site answered counts as a listing. */
    public boolean listedBy(InetAddress answer) {
        if (filter != null) {
            return filter.matches(answer);
        }
        return answer instanceof Inet4Address && (answer.getAddress()[0] & 0xff) == 127;
    }

    /** The entry as Postfix writes it. */
    public String text() {
        return domain + (filter == null ? "" : "=" + filter.text()) + (weight == 1 ? "" : "*" + weight);
    }

    @Override
    public String toString() {
        return text();
    }
}
