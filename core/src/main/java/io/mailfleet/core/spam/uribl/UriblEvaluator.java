package io.mailfleet.core.spam.uribl;

import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;
import io.mailfleet.core.spam.SpamSymbol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Asks every list about every target at once through the node's resolver (which caches each answer
 * for its TTL and shares identical questions in flight) and turns the answers into symbols, each
 * symbol once per message whatever the number of listed domains. A question not answered within the
 * time-out, SERVFAIL, NXDOMAIN, an answer outside {@code 127.0.0.0/8} and the lists' "query refused"
 * answers ({@code 127.255.255.x}) count as not listed and are logged at debug. Never blocks; the stage
 * never fails.
 */
public final class UriblEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.uribl");

    private final DnsResolver dns;
    private final UriblLists lists;
    private final Duration timeout;

    public UriblEvaluator(DnsResolver dns, UriblLists lists, Duration timeout) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.lists = Objects.requireNonNull(lists, "lists");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public UriblLists lists() {
        return lists;
    }

    /** One question's key: the target and the zone asked. */
    private record Asked(LinkTarget target, String zone) {
    }

    /** The symbols the lists add for {@code targets}; complete when all answered or the time-out passed. */
    public CompletionStage<List<SpamSymbol>> evaluate(List<LinkTarget> targets) {
        if (targets.isEmpty() || lists.entries().isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Map<Asked, CompletableFuture<DnsResult<InetAddress>>> asked = new LinkedHashMap<>();
        for (String zone : lists.zones()) {
            for (LinkTarget t : targets) {
                if (t.ip() && !lists.ipZones().contains(zone)) {
                    continue;
                }
                // a stage of our own: the time-out completes it, never the resolver's shared question
                CompletableFuture<DnsResult<InetAddress>> answer = new CompletableFuture<>();
                dns.a(t.query(zone)).whenComplete((r, e) -> answer.complete(e == null ? r
                        : new DnsResult.TempError<>(e.toString())));
                asked.put(new Asked(t, zone), answer.completeOnTimeout(
                        new DnsResult.TempError<>("no answer within " + timeout.toMillis() + " ms"),
                        timeout.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
        return CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new))
                .handle((v, e) -> symbols(asked));
    }

    private List<SpamSymbol> symbols(Map<Asked, CompletableFuture<DnsResult<InetAddress>>> asked) {
        Map<UriblEntry, List<String>> hits = new LinkedHashMap<>();
        lists.entries().forEach(entry -> hits.put(entry, new ArrayList<>()));
        asked.forEach((q, f) -> {
            DnsResult<InetAddress> r = f.getNow(new DnsResult.TempError<>("unanswered"));
            String name = q.target().query(q.zone());
            if (r instanceof DnsResult.TempError<InetAddress> t) {
                LOG.debug("URL DNSBL {}: not answered ({}), counted as not listed", name, t.reason());
                return;
            }
            for (InetAddress a : r.valuesOrEmpty()) {
                byte[] b = a.getAddress();
                if (b.length != 4 || b[0] != 127) {
                    LOG.debug("URL DNSBL {}: answer {} outside 127.0.0.0/8, counted as not listed", name,
                            a.getHostAddress());
                    continue;
                }
                if ((b[1] & 0xff) == 255 && (b[2] & 0xff) == 255) {
                    LOG.debug("URL DNSBL {}: answer {} means the list refused the query (a public or "
                            + "over-quota resolver), counted as not listed", name, a.getHostAddress());
                    continue;
                }
                boolean any = false;
                for (UriblEntry entry : lists.of(q.zone())) {
                    if (entry.listedBy(a)) {
                        List<String> domains = hits.get(entry);
                        if (!domains.contains(q.target().name())) {
                            domains.add(q.target().name());
                        }
                        any = true;
                    }
                }
                if (!any) {
                    LOG.debug("URL DNSBL {}: answer {} matches no entry, counted as not listed", name,
                            a.getHostAddress());
                }
            }
        });
        Map<String, SpamSymbol> out = new LinkedHashMap<>();
        hits.forEach((entry, domains) -> {
            if (!domains.isEmpty() && !out.containsKey(entry.symbol())) {
                out.put(entry.symbol(), new SpamSymbol(entry.symbol(), entry.weight(),
                        entry.zone() + " lists " + String.join(", ", domains)));
            }
        });
        return List.copyOf(out.values());
    }
}
