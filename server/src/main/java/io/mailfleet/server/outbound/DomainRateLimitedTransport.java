package io.mailfleet.server.outbound;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.ratelimit.RateLimit;
import io.mailfleet.core.ratelimit.RateLimiter;
import io.mailfleet.core.service.RemoteTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Outbound messages per recipient domain, counted across the cluster
 * ({@code mailfleet.rate-limits.outbound-domain-messages-per-minute}, the cluster-wide counterpart of
 * Postfix's {@code smtp_destination_rate_delay}): each delivery attempt of a message to a domain counts
 * once, whatever its number of recipients there. A domain over its limit is not contacted: its
 * recipients stay queued as deferred ({@code 4.7.0}) and are retried on the queue's schedule; the other
 * domains of the message go out as usual.
 */
public final class DomainRateLimitedTransport implements RemoteTransport {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.ratelimit");

    /** The counting key of a recipient domain, as the operator sees and resets it. */
    public static String key(String domain) {
        return "domain:" + domain;
    }

    private final RemoteTransport next;
    private final RateLimiter limiter;
    private final RateLimit limit;

    public DomainRateLimitedTransport(RemoteTransport next, RateLimiter limiter, RateLimit limit) {
        this.next = next;
        this.limiter = limiter;
        this.limit = limit;
    }

    @Override
    public CompletionStage<List<RecipientOutcome>> send(Envelope envelope, List<EnvelopeRecipient> recipients,
                                                        BlobRef blob, byte[] prependHeaders) {
        Map<String, CompletableFuture<Boolean>> domains = new LinkedHashMap<>();
        for (EnvelopeRecipient r : recipients) {
            domains.computeIfAbsent(domainOf(r.address()), d -> limiter.tryAcquire(limit, key(d))
                    .toCompletableFuture()
                    // a counter that cannot answer must not stop the mail: it goes out uncounted
                    .exceptionally(err -> {
                        LOG.warn("rate limit {} for {} could not be counted: {}", limit.name(), d, err.toString());
                        return true;
                    }));
        }
        return CompletableFuture.allOf(domains.values().toArray(CompletableFuture[]::new)).thenCompose(v -> {
            List<EnvelopeRecipient> allowed = new ArrayList<>();
            for (EnvelopeRecipient r : recipients) {
                if (domains.get(domainOf(r.address())).join()) {
                    allowed.add(r);
                }
            }
            domains.forEach((d, ok) -> {
                if (!ok.join()) {
                    LOG.warn("rate limit {} ({} per {}s) reached for {}: deferred", limit.name(), limit.max(),
                            limit.window().toSeconds(), key(d));
                }
            });
            CompletionStage<List<RecipientOutcome>> sent = allowed.isEmpty()
                    ? CompletableFuture.completedFuture(List.of())
                    : next.send(envelope, allowed, blob, prependHeaders);
            return sent.thenApply(outcomes -> merge(recipients, allowed, outcomes));
        });
    }

    /** Outcomes in the order of {@code recipients}: the transport's for the allowed, a deferral for the rest. */
    private List<RecipientOutcome> merge(List<EnvelopeRecipient> recipients, List<EnvelopeRecipient> allowed,
                                         List<RecipientOutcome> outcomes) {
        List<RecipientOutcome> out = new ArrayList<>(recipients.size());
        int k = 0;
        for (EnvelopeRecipient r : recipients) {
            if (k < allowed.size() && allowed.get(k) == r) {
                out.add(outcomes.get(k++));
            } else {
                out.add(new RecipientOutcome(r, Kind.TEMPORARY, "4.7.0", "deferred: rate limit of " + limit.max()
                        + " messages per " + limit.window().toSeconds() + "s to " + domainOf(r.address())
                        + " reached (mailfleet.rate-limits.outbound-domain-messages-per-minute)", "none", false));
            }
        }
        return out;
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return (at < 0 ? address : address.substring(at + 1)).toLowerCase(Locale.ROOT);
    }
}
