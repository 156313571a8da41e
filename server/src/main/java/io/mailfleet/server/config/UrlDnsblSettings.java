package io.mailfleet.server.config;

import io.mailfleet.core.spam.uribl.LinkLimits;
import io.mailfleet.core.spam.uribl.UriblLists;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code mailfleet.spam-scorer.url-dnsbl}: the built-in scorer's DNS block lists for the links in a
 * message body ({@code MAILFLEET_URL_DNSBL}, on with the scorer by default as in Rspamd). With no
 * lists configured it asks {@link UriblLists#DEFAULT}.
 *
 * @param enabled whether the scorer asks the lists
 * @param lists   the symbol entries and the zones that take IP-literal links
 * @param limits  targets per message, octets read, e-mail domains or not
 * @param skipDomains registrable domains never asked about
 * @param timeout answers not in by then count as not listed
 */
public record UrlDnsblSettings(boolean enabled, UriblLists lists, LinkLimits limits, Set<String> skipDomains,
                               Duration timeout) {

    public UrlDnsblSettings {
        skipDomains = Set.copyOf(skipDomains);
    }

    private static final String KEY = "mailfleet.spam-scorer.url-dnsbl.";

    /** Reads and checks the keys; a bad value names its key. */
    static UrlDnsblSettings read(ValueReader r) {
        boolean enabled = r.bool(KEY + "enabled");
        String spec = String.join(" ", r.stringList(KEY + "lists"));
        String ipZones = String.join(" ", r.stringList(KEY + "ip-zones"));
        UriblLists lists;
        try {
            lists = UriblLists.parse(spec.isBlank() ? UriblLists.DEFAULT : spec, ipZones);
        } catch (IllegalArgumentException e) {
            throw r.invalid(KEY + "lists", spec, "entries such as dbl.spamhaus.org=127.0.1.[2..99]:DBL_SPAM*2.5 or "
                    + "multi.uribl.com&2:URIBL_BLACK*1.7 (" + e.getMessage() + ")");
        }
        for (String z : lists.ipZones()) {
            if (!z.matches("[a-z0-9_](?:[a-z0-9_.-]{0,188}[a-z0-9_])?\\.[a-z0-9_-]+")) {
                throw r.invalid(KEY + "ip-zones", ipZones, "DNS zones separated by spaces or commas");
            }
        }
        long scan = r.bytes(KEY + "max-scan-bytes");
        if (scan < 1024 || scan > 16L * 1024 * 1024) {
            throw r.invalid(KEY + "max-scan-bytes", r.string(KEY + "max-scan-bytes"), "a size from 1K to 16M");
        }
        LinkLimits limits = new LinkLimits(r.intIn(KEY + "max-lookups", 1, 100), (int) scan, r.bool(KEY + "emails"));
        Set<String> skip = new LinkedHashSet<>();
        for (String d : r.stringList(KEY + "skip-domains")) {
            String domain = d.toLowerCase(Locale.ROOT);
            if (!domain.matches("(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,62}")) {
                throw r.invalid(KEY + "skip-domains", d, "registrable domains such as w3.org, separated by commas");
            }
            skip.add(domain);
        }
        Duration timeout = r.durationIn(KEY + "timeout", Duration.ofMillis(100), Duration.ofSeconds(60),
                "a duration from 100ms to 60s, such as 3s");
        return new UrlDnsblSettings(enabled, lists, limits, skip, timeout);
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static UrlDnsblSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
