package io.mailfleet.server.outbound;

import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.cluster.ratelimit.ClusterRateLimiter;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.ratelimit.RateLimiter;
import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code MAILFLEET_OUTBOUND_DOMAIN_RATE=1} on a whole node delivering to an SMTP sink on 127.0.0.2 (the MX
 * of two domains, served by a DNS server on loopback): the first message to a domain goes out, the second
 * stays queued as deferred with the limit named while a message to the other domain goes out, the
 * operator sees {@code domain:limited.example} among the limited keys, and after resetting it the
 * deferred message leaves at its next retry.
 */
class OutboundDomainRateLimitTest {

    @TempDir
    Path data;

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 40 s");
            }
            Thread.sleep(50);
        }
    }

    private static String enqueue(MailfleetServer server, String rcpt, String subject) throws Exception {
        BlobRef ref;
        try (BlobWriter w = server.blobs().create()) {
            byte[] b = ("From: <sender@example.com>\r\nTo: <" + rcpt + ">\r\nSubject: " + subject
                    + "\r\n\r\nHello.\r\n").getBytes(StandardCharsets.UTF_8);
            w.write(b, 0, b.length);
            ref = w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Envelope env = new Envelope("sender@example.com", List.of(EnvelopeRecipient.of(rcpt)), "client.example",
                "192.0.2.10", "sender@example.com", true, null, null, "8BITMIME", false, Instant.now());
        return server.node().queue().enqueue(env, ref).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static boolean received(SinkSmtpServer sink, String subject) {
        return sink.received.stream().anyMatch(r -> new String(r.data(), StandardCharsets.UTF_8)
                .contains("Subject: " + subject));
    }

    private static String deferral(MailfleetServer server, String queueId) throws Exception {
        for (QueueEntry e : server.node().queue().inspect().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            if (e.message().queueId().equals(queueId)) {
                TargetStatus s = e.message().status().get(0);
                return s == null ? "" : s.state() + " " + s.reason();
            }
        }
        return "gone";
    }

    @Test
    void aDomainOverItsLimitIsDeferredOthersAreNotAndAResetReleasesIt() throws Exception {
        try (SinkSmtpServer sink = new SinkSmtpServer(InetAddress.getByName("127.0.0.2"), 0);
             TestDnsServer dns = new TestDnsServer()
                     .mx("limited.example", 10, "mx.sink.example").mx("other.example", 10, "mx.sink.example")
                     .a("mx.sink.example", "127.0.0.2")) {
            int dnsPort = dns.settings(Duration.ofSeconds(2)).server().getPort();
            try (MailfleetServer server = TestServers.start(TestServers.env(data, Map.of(
                            "MAILFLEET_DNS_SERVER", "127.0.0.1:" + dnsPort,
                            "MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(sink.port()),
                            "MAILFLEET_RETRY_FIRST", "1s",
                            "MAILFLEET_RETRY_MAX", "2s",
                            "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s",
                            "MAILFLEET_OUTBOUND_DOMAIN_RATE", "1")),
                    new FirstAccount("sender@example.com", "secret-password", false))) {
                enqueue(server, "a@limited.example", "first");
                waitFor(() -> received(sink, "first"));

                String second = enqueue(server, "b@limited.example", "second");
                String[] status = new String[1];
                waitFor(() -> {
                    try {
                        status[0] = deferral(server, second);
                        return status[0].contains("rate limit");
                    } catch (Exception e) {
                        return false;
                    }
                });
                assertTrue(status[0].startsWith("PENDING deferred: rate limit of 1 messages per 60s to limited.example"),
                        status[0]);
                enqueue(server, "c@other.example", "elsewhere");
                waitFor(() -> received(sink, "elsewhere"));
                assertTrue(!received(sink, "second"), "the limited domain was not contacted for the second message");

                RateLimiter limits = ClusterRateLimiter.start(server.system());
                List<RateLimiter.Limited> limited = limits.limited().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertTrue(limited.stream().anyMatch(l -> l.key().equals("domain:limited.example")
                        && l.limit().equals("outbound-domain") && l.max() == 1), limited.toString());
                assertTrue(limits.reset("domain:limited.example").toCompletableFuture().get(10, TimeUnit.SECONDS) > 0);
                waitFor(() -> received(sink, "second"));
                assertEquals(1, sink.received.stream().filter(r -> new String(r.data(), StandardCharsets.UTF_8)
                        .contains("Subject: second")).count(), "delivered once, after the reset");
            }
        }
    }
}
