package io.mailfleet.server.outbound;

import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestDnsServer;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimResult;
import io.mailfleet.core.dkim.DkimVerifier;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.srs.Srs;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outbound delivery from a real node through the queue: a UDP test DNS server answers MX queries,
 * SMTP sinks on 127.0.0.x play the remote MXes; bounces land in the local sender's mailbox.
 */
class OutboundDeliveryTest {

    @TempDir
    static Path data;

    static TestDnsServer dns;
    static SinkSmtpServer ok;
    static SinkSmtpServer flaky;
    static SinkSmtpServer rejecting;
    static SinkSmtpServer deferring;
    static MailfleetServer server;
    static String dkimRecord;
    static final AtomicInteger flakyRcpts = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        ok = new SinkSmtpServer(InetAddress.getByName("127.0.0.2"), 0);
        int port = ok.port();
        flaky = new SinkSmtpServer(InetAddress.getByName("127.0.0.3"), port);
        flaky.rcptReply = r -> flakyRcpts.incrementAndGet() == 1 ? "451 4.7.1 greylisted, try again" : "250 2.1.5 Ok";
        rejecting = new SinkSmtpServer(InetAddress.getByName("127.0.0.4"), port);
        rejecting.rcptReply = r -> "550 5.1.1 <" + r.replaceAll("[<>]", "") + ">: Recipient address rejected: no such user";
        deferring = new SinkSmtpServer(InetAddress.getByName("127.0.0.5"), port);
        deferring.rcptReply = r -> "421 4.3.2 service not available";
        dns = new TestDnsServer()
                .mx("ok.example", 10, "mx.ok.example").a("mx.ok.example", "127.0.0.2")
                .mx("retry.example", 10, "mx.retry.example").a("mx.retry.example", "127.0.0.3")
                .mx("perm.example", 10, "mx.perm.example").a("mx.perm.example", "127.0.0.4")
                .mx("slow.example", 10, "mx.slow.example").a("mx.slow.example", "127.0.0.5")
                .mx("nullmx.example", 0, ".");
        Path dkimDir = data.resolve("dkim");
        String txt = DkimKeys.writeOpenDkim(dkimDir, "example.com", "mail", DkimKeys.generateRsa(2048));
        dkimRecord = DkimKeys.recordFromZoneFileText(txt);
        int dnsPort = dns.settings(Duration.ofSeconds(2)).server().getPort();
        server = TestServers.start(TestServers.env(data, Map.of(
                "MAILFLEET_DNS_SERVER", "127.0.0.1:" + dnsPort,
                "MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(port),
                "MAILFLEET_RETRY_FIRST", "1s",
                "MAILFLEET_RETRY_MAX", "2s",
                "MAILFLEET_QUEUE_LIFETIME", "8s",
                "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s",
                "ENABLE_SRS", "1",
                "SRS_SECRET", "test-secret")),
                new FirstAccount("sender@example.com", "secret-password", false));
        server.node().directory().apply(new DirectoryChange.AddAlias("fwd@example.com", "far@ok.example"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        waitFor(() -> server.node().directory().view().aliasTargets("fwd@example.com").contains("far@ok.example"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable c : new AutoCloseable[]{ok, flaky, rejecting, deferring, dns}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 40 s");
            }
            Thread.sleep(50);
        }
    }

    static String enqueue(String sender, String authUser, List<EnvelopeRecipient> rcpts, String message) throws Exception {
        BlobRef ref;
        try (BlobWriter w = server.blobs().create()) {
            byte[] b = message.getBytes(StandardCharsets.UTF_8);
            w.write(b, 0, b.length);
            ref = w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Envelope env = new Envelope(sender, rcpts, "client.example", "192.0.2.10", authUser, authUser != null,
                null, null, "8BITMIME", false, Instant.now());
        return server.node().queue().enqueue(env, ref).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static String message(String from, String to, String subject) {
        return "From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: " + subject + "\r\nDate: Sat, 21 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + subject.replace(' ', '-') + "@example.com>\r\n\r\nHello " + subject + ".\r\n";
    }

    static List<String> inbox(String account) throws Exception {
        List<MessageMeta> metas = server.node().mailboxes().messages(account, "INBOX").toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        List<String> out = new java.util.ArrayList<>();
        for (MessageMeta m : metas) {
            try (InputStream in = server.blobs().open(m.blob())) {
                out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static String bounceFor(String queueId) throws Exception {
        String[] found = new String[1];
        waitFor(() -> {
            try {
                for (String m : inbox("sender@example.com")) {
                    if (m.contains("X-Mailfleet-Queue-ID: " + queueId)) {
                        found[0] = m;
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        });
        return found[0];
    }

    static List<QueueEntry> queued() throws Exception {
        return server.node().queue().inspect().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static boolean gone(String queueId) {
        try {
            return queued().stream().noneMatch(e -> e.message().queueId().equals(queueId));
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void authenticatedMailIsDkimSignedAndDeliveredToTheMx() throws Exception {
        String id = enqueue("sender@example.com", "sender@example.com", List.of(EnvelopeRecipient.of("rcpt@ok.example")),
                message("sender@example.com", "rcpt@ok.example", "signed hello"));
        waitFor(() -> ok.received.stream().anyMatch(r -> r.text().contains("signed hello")));
        SinkSmtpServer.Received r = ok.received.stream().filter(x -> x.text().contains("signed hello")).findFirst().orElseThrow();
        assertEquals("<sender@example.com>", r.mailFrom().split(" ")[0]);
        assertTrue(r.text().startsWith("DKIM-Signature:"), r.text());
        List<DkimResult> results = new DkimVerifier(name -> name.equals("mail._domainkey.example.com")
                ? List.of(dkimRecord) : List.of(), Clock.systemUTC())
                .verify(new ByteArrayInputStream(r.data()));
        assertEquals(1, results.size());
        assertTrue(results.get(0).passed(), results.toString());
        assertEquals("example.com", results.get(0).domain());
        waitFor(() -> gone(id));
    }

    @Test
    void mailFromATrustedNetworkWithOurSenderDomainIsSignedToo() throws Exception {
        // No AUTH, not submission: how a trusted network (PERMIT_DOCKER-like) relays through port 25.
        String id = enqueue("app@example.com", null, List.of(EnvelopeRecipient.of("rcpt2@ok.example")),
                message("app@example.com", "rcpt2@ok.example", "trusted hello"));
        waitFor(() -> ok.received.stream().anyMatch(r -> r.text().contains("trusted hello")));
        SinkSmtpServer.Received r = ok.received.stream().filter(x -> x.text().contains("trusted hello")).findFirst().orElseThrow();
        assertTrue(r.text().startsWith("DKIM-Signature:"), r.text());
        List<DkimResult> results = new DkimVerifier(name -> name.equals("mail._domainkey.example.com")
                ? List.of(dkimRecord) : List.of(), Clock.systemUTC())
                .verify(new ByteArrayInputStream(r.data()));
        assertTrue(results.get(0).passed(), results.toString());
        waitFor(() -> gone(id));
    }

    @Test
    void temporaryFailureIsRetriedWithBackoffThenDelivered() throws Exception {
        String id = enqueue("sender@example.com", null, List.of(EnvelopeRecipient.of("later@retry.example")),
                message("sender@example.com", "later@retry.example", "retry hello"));
        waitFor(() -> flaky.received.stream().anyMatch(r -> r.text().contains("retry hello")));
        assertTrue(flakyRcpts.get() >= 2);
        waitFor(() -> gone(id));
        assertFalse(inbox("sender@example.com").stream().anyMatch(m -> m.contains("X-Mailfleet-Queue-ID: " + id)));
    }

    @Test
    void permanentFailureBouncesWithAnRfc3464ReportToTheSender() throws Exception {
        String id = enqueue("sender@example.com", "sender@example.com",
                List.of(new EnvelopeRecipient("nobody@perm.example", "FAILURE", "rfc822;nobody@perm.example")),
                message("sender@example.com", "nobody@perm.example", "doomed hello"));
        String dsn = bounceFor(id);
        assertTrue(dsn.contains("Content-Type: multipart/report; report-type=delivery-status"), dsn);
        assertTrue(dsn.contains("Final-Recipient: rfc822; nobody@perm.example"), dsn);
        assertTrue(dsn.contains("Original-Recipient: rfc822; nobody@perm.example"), dsn);
        assertTrue(dsn.contains("Action: failed"), dsn);
        assertTrue(dsn.contains("Status: 5.1.1"), dsn);
        assertTrue(dsn.contains("Remote-MTA: dns; mx.perm.example"), dsn);
        assertTrue(dsn.contains("Diagnostic-Code: smtp; 550 5.1.1"), dsn);
        assertTrue(dsn.contains("Subject: doomed hello"), "returned headers: " + dsn);
        assertFalse(dsn.contains("Hello doomed hello."), "RET=HDRS by default: " + dsn);
        waitFor(() -> gone(id));
    }

    @Test
    void nullMxBouncesAtOnce() throws Exception {
        String id = enqueue("sender@example.com", null, List.of(EnvelopeRecipient.of("x@nullmx.example")),
                message("sender@example.com", "x@nullmx.example", "null mx hello"));
        String dsn = bounceFor(id);
        assertTrue(dsn.contains("Action: failed"), dsn);
        assertTrue(dsn.contains("Status: 5.1.10") || dsn.contains("Status: 5.1.2"), dsn);
        assertTrue(dsn.toLowerCase().contains("null mx"), dsn);
    }

    @Test
    void mailDeferredUntilTheQueueLifetimeBouncesAsExpired() throws Exception {
        String id = enqueue("sender@example.com", null, List.of(EnvelopeRecipient.of("wait@slow.example")),
                message("sender@example.com", "wait@slow.example", "expiring hello"));
        waitFor(() -> {
            try {
                return queued().stream().anyMatch(e -> e.message().queueId().equals(id) && e.progress().attempts() >= 1);
            } catch (Exception e) {
                return false;
            }
        });
        String dsn = bounceFor(id);
        assertTrue(dsn.contains("Action: failed"), dsn);
        assertTrue(dsn.contains("Status: 4.4.7"), dsn);
        assertTrue(dsn.contains("message expired"), dsn);
        assertTrue(dsn.contains("421 4.3.2 service not available"), dsn);
        waitFor(() -> gone(id));
    }

    @Test
    void forwardedMailIsSrsRewrittenAndItsBounceGoesBackToTheOriginalSender() throws Exception {
        enqueue("alice@ok.example", null, List.of(EnvelopeRecipient.of("fwd@example.com")),
                message("alice@ok.example", "fwd@example.com", "forwarded hello"));
        waitFor(() -> ok.received.stream().anyMatch(r -> r.text().contains("forwarded hello")));
        SinkSmtpServer.Received r = ok.received.stream().filter(x -> x.text().contains("forwarded hello")).findFirst().orElseThrow();
        String from = r.mailFrom().split(" ")[0].replaceAll("[<>]", "");
        assertTrue(from.startsWith("SRS0=") && from.endsWith("@example.com"), from);
        assertEquals(List.of("<far@ok.example>"), r.rcptTo().stream().map(x -> x.split(" ")[0]).toList());
        Srs srs = Srs.fromEnvironment("test-secret", "", Clock.systemUTC());
        assertEquals("alice@ok.example", srs.reverse(from));

        // A message from that SRS address that fails: the report goes to the original sender.
        String id = enqueue(from, null, List.of(EnvelopeRecipient.of("gone@perm.example")),
                message(from, "gone@perm.example", "srs bounce hello"));
        waitFor(() -> ok.received.stream().anyMatch(x -> x.text().contains("X-Mailfleet-Queue-ID: " + id)));
        SinkSmtpServer.Received bounce = ok.received.stream()
                .filter(x -> x.text().contains("X-Mailfleet-Queue-ID: " + id)).findFirst().orElseThrow();
        assertEquals("<>", bounce.mailFrom().split(" ")[0]);
        assertEquals("<alice@ok.example>", bounce.rcptTo().get(0).split(" ")[0]);
    }

    @Test
    void aBounceThatCannotBeDeliveredIsNotBouncedAgain() throws Exception {
        int inboxBefore = inbox("sender@example.com").size();
        String id = enqueue("", null, List.of(EnvelopeRecipient.of("nobody@perm.example")),
                message("MAILER-DAEMON@example.com", "nobody@perm.example", "bounce of bounce"));
        waitFor(() -> gone(id));
        assertEquals(inboxBefore, inbox("sender@example.com").size());
    }
}
