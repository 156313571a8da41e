package io.mailfleet.core.auth.dmarc.report;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code mailto:} destination of a DMARC record's {@code rua=} or {@code ruf=} (RFC 7489 section 6.2 and 6.4).
 *
 * @param address  the mailbox
 * @param maxBytes the {@code !size} limit in bytes, or {@link Long#MAX_VALUE} without one
 */
public record DmarcRua(String address, long maxBytes) {

    private static final Pattern URI = Pattern.compile("(?i)mailto:([^!]+)(?:!(\\d{1,12})([kmgt]?))?");

    /** The domain of the address. */
    public String domain() {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    /**
     * The {@code mailto:} destinations of a record's {@code rua=} tag; other schemes and malformed
     * URIs are left out.
     */
    public static List<DmarcRua> parse(String record) {
        return parse(record, "rua");
    }

    /** As {@link #parse(String)} for another URI list tag: {@code ruf} (failure reports). */
    public static List<DmarcRua> parse(String record, String tag) {
        List<DmarcRua> out = new ArrayList<>();
        for (String field : record.split(";")) {
            String f = field.strip();
            int eq = f.indexOf('=');
            if (eq < 0 || !f.substring(0, eq).strip().equalsIgnoreCase(tag)) {
                continue;
            }
            for (String uri : f.substring(eq + 1).split(",")) {
                Matcher m = URI.matcher(uri.strip());
                if (!m.matches()) {
                    continue;
                }
                String a = m.group(1);
                int q = a.indexOf('?');
                if (q >= 0) {
                    a = a.substring(0, q);
                }
                a = URLDecoder.decode(a, StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT);
                if (!a.matches("[^@\\s<>,]+@[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
                    continue;
                }
                long max = Long.MAX_VALUE;
                if (m.group(2) != null) {
                    long n = Long.parseLong(m.group(2));
                    int shift = switch (m.group(3).toLowerCase(Locale.ROOT)) {
                        case "k" -> 10;
                        case "m" -> 20;
                        case "g" -> 30;
                        case "t" -> 40;
                        default -> 0;
                    };
                    max = n > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : n << shift;
                }
                out.add(new DmarcRua(a, max));
            }
            break;
        }
        return out;
    }
}
