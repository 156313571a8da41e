package io.mailfleet.core.dnsbl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The weighted lists a client is looked up in ({@code postscreen_dnsbl_sites}), in the order written.
 * One zone may appear more than once with different filters and weights (docker-mailserver does so
 * for {@code list.dnswl.org}); it is asked once.
 */
public record DnsblSites(List<DnsblSite> sites) {

    /**
     * docker-mailserver's {@code postscreen_dnsbl_sites} (its {@code main.cf}), used with its threshold 3
     * when {@code ENABLE_DNSBL=1} and no list is configured.
     */
    public static final String DOCKER_MAILSERVER = "zen.spamhaus.org=127.0.0.[2..11]*3"
            + " bl.mailspike.net=127.0.0.[2..4]*2"
            + " b.barracudacentral.org=127.0.0.2*2"
            + " bl.spameatingmonkey.net=127.0.0.2"
            + " dnsbl.sorbs.net"
            + " psbl.surriel.com"
            + " list.dnswl.org=127.0.[0..255].0*-2"
            + " list.dnswl.org=127.0.[0..255].1*-3"
            + " list.dnswl.org=127.0.[0..255].[2..3]*-4";

    public DnsblSites {
        sites = List.copyOf(sites);
    }

    /** Parses entries separated by commas and/or white space, as Postfix reads the parameter. */
    public static DnsblSites parse(String spec) {
        List<DnsblSite> out = new ArrayList<>();
        for (String entry : spec.trim().split("[\\s,]+")) {
            if (!entry.isEmpty()) {
                out.add(DnsblSite.parse(entry));
            }
        }
        return new DnsblSites(out);
    }

    /** The zones to ask, each once, in the order written. */
    public Set<String> domains() {
        Set<String> d = new LinkedHashSet<>();
        sites.forEach(s -> d.add(s.domain()));
        return d;
    }

    public boolean isEmpty() {
        return sites.isEmpty();
    }

    @Override
    public String toString() {
        return String.join(" ", sites.stream().map(DnsblSite::text).toList());
    }
}
