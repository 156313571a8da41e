package io.mailfleet.server.outbound;

import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.ratelimit.RateLimit;
import io.mailfleet.core.ratelimit.RateLimiter;
import io.mailfleet.core.service.RemoteTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-domain limit inside one message: each domain is asked once, only the allowed domains' recipients
 * reach the transport, and the outcomes come back in the message's recipient order.
 */
class DomainRateLimitedTransportTest {

    private static final RateLimit LIMIT = new RateLimit("outbound-domain", Duration.ofMinutes(1), 5);

    /** A limiter that allows the keys it was given and records every question. */
    private static final class Allowing implements RateLimiter {
        final Set<String> allowed;
        final List<String> asked = new ArrayList<>();

        Allowing(Set<String> allowed) {
            this.allowed = allowed;
        }

        @Override
        public CompletionStage<Boolean> tryAcquire(RateLimit limit, String key) {
            asked.add(key);
            return CompletableFuture.completedFuture(allowed.contains(key));
        }

        @Override
        public CompletionStage<List<Limited>> limited() {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<Integer> reset(String key) {
            return CompletableFuture.completedFuture(0);
        }
    }

    @Test
    void onlyTheAllowedDomainsAreSentAndTheOutcomesKeepTheRecipientOrder() throws Exception {
        List<List<String>> sent = new ArrayList<>();
        RemoteTransport delivering = (envelope, recipients, blob, headers) -> {
            sent.add(recipients.stream().map(EnvelopeRecipient::address).toList());
            return CompletableFuture.completedFuture(recipients.stream().map(r -> new RemoteTransport.RecipientOutcome(r,
                    RemoteTransport.Kind.DELIVERED, "2.0.0", "250 ok", "mx", false)).toList());
        };
        Allowing limiter = new Allowing(Set.of("domain:open.example"));
        List<EnvelopeRecipient> rcpts = List.of(EnvelopeRecipient.of("a@busy.example"),
                EnvelopeRecipient.of("b@Open.Example"), EnvelopeRecipient.of("c@BUSY.example"));
        List<RemoteTransport.RecipientOutcome> out = new DomainRateLimitedTransport(delivering, limiter, LIMIT)
                .send(null, rcpts, null, new byte[0]).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(List.of("domain:busy.example", "domain:open.example"), limiter.asked, "each domain once");
        assertEquals(List.of(List.of("b@Open.Example")), sent);
        assertEquals(List.of(RemoteTransport.Kind.TEMPORARY, RemoteTransport.Kind.DELIVERED, RemoteTransport.Kind.TEMPORARY),
                out.stream().map(RemoteTransport.RecipientOutcome::kind).toList());
        assertEquals(rcpts, out.stream().map(RemoteTransport.RecipientOutcome::recipient).toList());
        assertEquals("4.7.0", out.get(0).status());
        assertEquals("deferred: rate limit of 5 messages per 60s to busy.example reached "
                + "(mailfleet.rate-limits.outbound-domain-messages-per-minute)", out.get(2).diagnostic());
    }

    @Test
    void aMessageWhoseDomainsAreAllLimitedNeverReachesTheTransport() throws Exception {
        RemoteTransport failing = (envelope, recipients, blob, headers) -> {
            throw new AssertionError("the transport must not be called");
        };
        List<RemoteTransport.RecipientOutcome> out = new DomainRateLimitedTransport(failing, new Allowing(Set.of()), LIMIT)
                .send(null, List.of(EnvelopeRecipient.of("a@busy.example")), null, new byte[0])
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(RemoteTransport.Kind.TEMPORARY, out.get(0).kind());
    }
}
