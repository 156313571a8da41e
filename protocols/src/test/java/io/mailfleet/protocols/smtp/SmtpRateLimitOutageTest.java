package io.mailfleet.protocols.smtp;

import io.mailfleet.testkit.Wire;
import io.mailfleet.core.ratelimit.RateLimit;
import io.mailfleet.core.ratelimit.RateLimiter;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.ratelimit.RateLimitChecks;
import io.mailfleet.protocols.smtp.ratelimit.SmtpRateLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rate-limit checks on a real listener while the cluster's counters cannot answer: every limit
 * lets the client through (as Postfix does without anvil) instead of refusing all mail.
 */
class SmtpRateLimitOutageTest {

    @TempDir
    Path dir;
    private SmtpFixture fx;
    private SmtpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    /** Counters whose owner never answers in time. */
    private static final class Unreachable implements RateLimiter {
        final AtomicInteger asked = new AtomicInteger();

        @Override
        public CompletionStage<Boolean> tryAcquire(RateLimit limit, String key) {
            asked.incrementAndGet();
            return CompletableFuture.failedFuture(new TimeoutException("ask timed out"));
        }

        @Override
        public CompletionStage<List<Limited>> limited() {
            return CompletableFuture.failedFuture(new TimeoutException("ask timed out"));
        }

        @Override
        public CompletionStage<Integer> reset(String key) {
            return CompletableFuture.failedFuture(new TimeoutException("ask timed out"));
        }
    }

    @Test
    void countersThatCannotAnswerLetTheClientThrough() throws Exception {
        fx = new SmtpFixture(dir, false);
        Unreachable limiter = new Unreachable();
        RateLimit one = new RateLimit("any", Duration.ofMinutes(1), 1);
        SmtpChecks checks = new RateLimitChecks(limiter, new SmtpRateLimits(Optional.of(one), Optional.of(one),
                Optional.of(one), List.of(), List.of()), List.of(), SmtpFixture.HOST).addTo(SmtpChecks.NONE, true);
        server = SmtpServer.start(SmtpFixture.settings(SmtpMode.MX), new SmtpServices(TestCollaborators.directory(),
                TestCollaborators.authenticator(), fx.blobs, fx.queue, TestCollaborators.usage(), fx.tls,
                AcceptGuard.none()).withChecks(checks));
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
        }
        assertEquals(3, limiter.asked.get(), "connection, message and recipient were each asked");
    }
}
