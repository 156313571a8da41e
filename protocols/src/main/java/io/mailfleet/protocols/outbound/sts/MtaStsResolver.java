package io.mailfleet.protocols.outbound.sts;

import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;
import io.mailfleet.core.mtasts.CachedPolicy;
import io.mailfleet.core.mtasts.MtaStsPolicy;
import io.mailfleet.core.mtasts.MtaStsTxt;
import io.mailfleet.core.mtasts.PolicyCache;
import io.mailfleet.core.tlsrpt.TlsResultType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Finds the MTA-STS policy of a recipient domain (RFC 8461 §3, §5): the {@code _mta-sts} TXT
 * record through the node's resolver, the cluster cache, and a fetch when the cache has no valid
 * policy with the record's id. When the fetch fails or the TXT record is gone, a cached policy
 * that has not expired stays in force (§5.1); without one the domain is treated as having no
 * policy and the failure is reported.
 */
public final class MtaStsResolver {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.mta-sts");

    private final DnsResolver dns;
    private final PolicyCache cache;
    private final PolicyFetcher fetcher;
    private final long maxAgeCap;
    private final Clock clock;
    private final java.util.concurrent.ConcurrentHashMap<String, CompletableFuture<byte[]>> inFlight =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** @param maxAgeCap the longest max_age honoured, seconds */
    public MtaStsResolver(DnsResolver dns, PolicyCache cache, PolicyFetcher fetcher, long maxAgeCap, Clock clock) {
        this.dns = dns;
        this.cache = cache;
        this.fetcher = fetcher;
        this.maxAgeCap = maxAgeCap;
        this.clock = clock;
    }

    /** The policy of {@code domain} (lower case); never completes exceptionally. */
    public CompletionStage<StsLookup> lookup(String domain) {
        CompletableFuture<DnsResult<String>> txt = dns.txt("_mta-sts." + domain).toCompletableFuture();
        CompletableFuture<Optional<CachedPolicy>> cached = cache.get(domain).toCompletableFuture();
        return txt.thenCombine(cached, (t, c) -> decide(domain, t, c.filter(p -> p.validAt(clock.millis()))))
                .thenCompose(s -> s)
                .exceptionally(e -> {
                    LOG.warn("MTA-STS lookup for {} failed: {}; delivering as without a policy", domain, e.toString());
                    return StsLookup.NONE;
                });
    }

    /** One fetch per domain at a time on this node: deliveries arriving meanwhile share its result. */
    private CompletableFuture<byte[]> fetchOnce(String domain) {
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> running = inFlight.putIfAbsent(domain, mine);
        if (running != null) {
            return running;
        }
        fetcher.fetch(domain).whenComplete((body, e) -> {
            inFlight.remove(domain, mine);
            if (e != null) {
                mine.completeExceptionally(e);
            } else {
                mine.complete(body);
            }
        });
        return mine;
    }

    private CompletionStage<StsLookup> decide(String domain, DnsResult<String> txt, Optional<CachedPolicy> cached) {
        Optional<String> id = txt instanceof DnsResult.Found<String> f ? MtaStsTxt.policyId(f.values()) : Optional.empty();
        if (id.isEmpty()) {
            // §5.1: without a (valid) TXT record a cached policy stays in force until it expires.
            return CompletableFuture.completedFuture(new StsLookup(cached, Optional.empty()));
        }
        if (cached.isPresent() && cached.get().id().equals(id.get())) {
            return CompletableFuture.completedFuture(new StsLookup(cached, Optional.empty()));
        }
        return fetchOnce(domain).thenApply(body -> {
            MtaStsPolicy policy;
            try {
                policy = MtaStsPolicy.parse(body, maxAgeCap);
            } catch (IllegalArgumentException e) {
                throw new PolicyFetchException(TlsResultType.STS_POLICY_INVALID,
                        "the MTA-STS policy of " + domain + " is malformed: " + e.getMessage());
            }
            CachedPolicy fresh = new CachedPolicy(domain, id.get(), policy, clock.millis());
            cache.put(fresh);
            LOG.info("MTA-STS policy of {} fetched: id={} mode={} mx={} max_age={}", domain, id.get(),
                    policy.mode().text(), policy.mx(), policy.maxAgeSeconds());
            return new StsLookup(Optional.of(fresh), Optional.<PolicyFetchException>empty());
        }).exceptionally(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            PolicyFetchException failure = cause instanceof PolicyFetchException p ? p
                    : new PolicyFetchException(TlsResultType.STS_POLICY_FETCH_ERROR, cause.toString());
            if (cached.isPresent()) {
                LOG.warn("MTA-STS policy of {} not refreshed ({}); the cached policy id={} stays in force", domain,
                        failure.getMessage(), cached.get().id());
            } else {
                LOG.warn("MTA-STS policy of {} unavailable ({}); delivering as without a policy", domain,
                        failure.getMessage());
            }
            return new StsLookup(cached, Optional.of(failure));
        });
    }
}
