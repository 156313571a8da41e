package io.mailfleet.core.dnsbl;

import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Scores a client against the weighted lists: every zone is asked at once through the node's resolver
 * (which caches each answer for its TTL and shares identical questions in flight), then the weights of
 * the entries whose filter matches an answer are added up. NXDOMAIN, NODATA, SERVFAIL, time-outs and
 * answers outside an entry's filter count as "not listed" and are logged at debug. Never blocks; the
 * stage never fails.
 */
public final class DnsblEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.dnsbl");

    private final DnsResolver dns;
    private final DnsblSites sites;

    public DnsblEvaluator(DnsResolver dns, DnsblSites sites) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.sites = Objects.requireNonNull(sites, "sites");
    }

    public DnsblSites sites() {
        return sites;
    }

    /** The client's score; complete when every zone has answered or timed out. */
    public CompletionStage<DnsblVerdict> evaluate(InetAddress client) {
        InetAddress c = DnsblNames.unmapped(client);
        Map<String, CompletableFuture<DnsResult<InetAddress>>> asked = new LinkedHashMap<>();
        for (String zone : sites.domains()) {
            asked.put(zone, dns.a(DnsblNames.query(c, zone)).toCompletableFuture());
        }
        return CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new))
                .handle((v, e) -> score(c, asked));
    }

    private DnsblVerdict score(InetAddress client, Map<String, CompletableFuture<DnsResult<InetAddress>>> asked) {
        Map<String, DnsResult<InetAddress>> answers = new LinkedHashMap<>();
        asked.forEach((zone, f) -> {
            DnsResult<InetAddress> r = f.isCompletedExceptionally() ? new DnsResult.TempError<>("failed") : f.join();
            answers.put(zone, r);
            if (r instanceof DnsResult.TempError<InetAddress> t) {
                LOG.debug("DNSBL {} for [{}]: not answered ({}), counted as not listed", zone,
                        client.getHostAddress(), t.reason());
            } else if (r instanceof DnsResult.InvalidName<InetAddress> i) {
                LOG.debug("DNSBL {} for [{}]: {}", zone, client.getHostAddress(), i.reason());
            }
        });
        return score(client, sites, answers);
    }

    /** The verdict from each zone's answer (pure; a zone without an answer is not listing). */
    public static DnsblVerdict score(InetAddress client, DnsblSites sites, Map<String, DnsResult<InetAddress>> answers) {
        int score = 0;
        String listedBy = null;
        int listedWeight = 0;
        List<String> hits = new ArrayList<>();
        java.util.Set<String> listingZones = new java.util.HashSet<>();
        for (DnsblSite site : sites.sites()) {
            List<InetAddress> values = answers.getOrDefault(site.domain(), new DnsResult.NxDomain<>()).valuesOrEmpty();
            boolean hit = false;
            for (InetAddress a : values) {
                if (site.listedBy(a)) {
                    hit = true;
                    break;
                }
            }
            if (hit) {
                score += site.weight();
                hits.add(site.text());
                listingZones.add(site.domain());
                if (site.weight() > listedWeight) {
                    listedWeight = site.weight();
                    listedBy = site.domain();
                }
            }
        }
        if (LOG.isDebugEnabled()) {
            answers.forEach((zone, r) -> {
                if (!r.valuesOrEmpty().isEmpty() && !listingZones.contains(zone)) {
                    LOG.debug("DNSBL {} for [{}]: answer {} outside every filter, counted as not listed", zone,
                            client.getHostAddress(), r.valuesOrEmpty().stream().map(InetAddress::getHostAddress).toList());
                }
            });
        }
        return hits.isEmpty() ? DnsblVerdict.CLEAN : new DnsblVerdict(score, listedBy, hits);
    }
}
