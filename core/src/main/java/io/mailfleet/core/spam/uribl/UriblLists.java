package io.mailfleet.core.spam.uribl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The URL block lists a message's links are asked of: the symbol entries in the order written (one
 * zone may carry several, it is asked once per target) and the zones that also take IP-literal links
 * ({@code http://192.0.2.7/}; Spamhaus DBL and URIBL refuse IP questions, SURBL takes them).
 */
public record UriblLists(List<UriblEntry> entries, Set<String> ipZones) {

    /**
     * The default, as Rspamd's {@code rbl} module enables by default for URLs and e-mail domains:
     * Spamhaus DBL by return code, SURBL's and URIBL's combined lists by bit. Weights are on
     * SpamAssassin's scale, near its scores for the same tests. Their blocked-resolver answers
     * ({@code 127.255.255.x}, URIBL's and SURBL's bit 1) have no symbol and are ignored.
     */
    public static final String DEFAULT = String.join(" ",
            "dbl.spamhaus.org=127.0.1.2:DBL_SPAM*2.5",
            "dbl.spamhaus.org=127.0.1.4:DBL_PHISH*2.5",
            "dbl.spamhaus.org=127.0.1.5:DBL_MALWARE*2.5",
            "dbl.spamhaus.org=127.0.1.6:DBL_BOTNET*2.5",
            "dbl.spamhaus.org=127.0.1.102:DBL_ABUSE*1.5",
            "dbl.spamhaus.org=127.0.1.103:DBL_ABUSE_REDIR*0.5",
            "dbl.spamhaus.org=127.0.1.104:DBL_ABUSE_PHISH*2",
            "dbl.spamhaus.org=127.0.1.105:DBL_ABUSE_MALWARE*2",
            "dbl.spamhaus.org=127.0.1.106:DBL_ABUSE_BOTNET*2",
            "multi.surbl.org&8:PH_SURBL_MULTI*2",
            "multi.surbl.org&16:MW_SURBL_MULTI*2",
            "multi.surbl.org&64:ABUSE_SURBL*2",
            "multi.surbl.org&128:CRACKED_SURBL*1.5",
            "multi.uribl.com&2:URIBL_BLACK*1.7",
            "multi.uribl.com&4:URIBL_GREY*0.4",
            "multi.uribl.com&8:URIBL_RED*0.1");

    /** The zones of {@link #DEFAULT} that take IP-literal links. */
    public static final String DEFAULT_IP_ZONES = "multi.surbl.org";

    public UriblLists {
        entries = List.copyOf(entries);
        ipZones = Set.copyOf(ipZones);
    }

    /** Parses entries separated by commas and/or white space, and the IP zones likewise. */
    public static UriblLists parse(String spec, String ipZones) {
        List<UriblEntry> out = new ArrayList<>();
        for (String entry : spec.trim().split("[\\s,]+")) {
            if (!entry.isEmpty()) {
                out.add(UriblEntry.parse(entry));
            }
        }
        Set<String> ips = new LinkedHashSet<>();
        for (String z : ipZones.trim().split("[\\s,]+")) {
            if (!z.isEmpty()) {
                ips.add(z.toLowerCase(Locale.ROOT));
            }
        }
        return new UriblLists(out, ips);
    }

    /** The zones to ask, each once, in the order written. */
    public Set<String> zones() {
        Set<String> z = new LinkedHashSet<>();
        entries.forEach(e -> z.add(e.zone()));
        return z;
    }

    /** The entries of one zone. */
    public List<UriblEntry> of(String zone) {
        return entries.stream().filter(e -> e.zone().equals(zone)).toList();
    }

    @Override
    public String toString() {
        return String.join(" ", entries.stream().map(UriblEntry::text).toList());
    }
}
