package io.mailfleet.server.outbound;

import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestDnsServer;

import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RELAY_HOST with RELAY_USER/RELAY_PASSWORD: TLS and AUTH are required, a relay without STARTTLS
 * leaves the mail deferred, and the persisted retry schedule survives a node restart.
 */
class RelayAndRestartTest {

    @TempDir
    Path data;

    @Test
    void relayNeedsStartTlsAndAuthAndDeferredMailSurvivesARestart() throws Exception {
        try (SinkSmtpServer relay = new SinkSmtpServer(InetAddress.getByName("127.0.0.6"), 0);
             TestDnsServer dns = new TestDnsServer()) {
            relay.starttls = false;
            relay.authUser = "relayuser";
            relay.authPassword = "relay-secret";
            Map<String, String> env = TestServers.env(data, Map.of(
                    "MAILFLEET_DNS_SERVER", "127.0.0.1:" + dns.settings(Duration.ofSeconds(2)).server().getPort(),
                    "RELAY_HOST", "127.0.0.6",
                    "RELAY_PORT", Integer.toString(relay.port()),
                    "RELAY_USER", "relayuser",
                    "RELAY_PASSWORD", "relay-secret",
                    "MAILFLEET_RETRY_FIRST", "2s",
                    "MAILFLEET_RETRY_MAX", "4s",
                    "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s"));
            MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret-password", false));
            String id;
            try {
                // The relay offers no STARTTLS: with credentials configured the mail must wait.
                id = enqueue(server, "relayed hello");
                OutboundDeliveryTest.waitFor(() -> attempts(server, id) >= 1);
                QueueEntry e = entry(server, id);
                assertTrue(e.progress().nextAttempt() != null, "a retry is scheduled");
                assertTrue(e.message().status().get(0).reason().toLowerCase().contains("tls"), e.message().status().toString());
                assertTrue(relay.received.isEmpty());
            } finally {
                server.close();
            }
            // The schedule is in the journal: the restarted node resumes it and delivers over TLS with AUTH.
            relay.starttls = true;
            MailfleetServer restarted = TestServers.start(env, null);
            try {
                OutboundDeliveryTest.waitFor(() -> relay.received.stream().anyMatch(x -> x.text().contains("relayed hello")));
                SinkSmtpServer.Received r = relay.received.get(0);
                assertTrue(r.tls(), "relayed over TLS");
                assertEquals("relayuser", r.authUser());
                assertEquals("<user@example.com>", r.mailFrom().split(" ")[0]);
                OutboundDeliveryTest.waitFor(() -> entry(restarted, id) == null);
            } finally {
                restarted.close();
            }
        }
    }

    private static String enqueue(MailfleetServer server, String subject) throws Exception {
        String msg = "From: <user@example.com>\r\nTo: <far@remote.example>\r\nSubject: " + subject + "\r\n\r\nbody\r\n";
        BlobRef ref;
        try (BlobWriter w = server.blobs().create()) {
            byte[] b = msg.getBytes(StandardCharsets.UTF_8);
            w.write(b, 0, b.length);
            ref = w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Envelope env = new Envelope("user@example.com", List.of(EnvelopeRecipient.of("far@remote.example")), "client",
                "192.0.2.1", "user@example.com", true, null, null, "7BIT", false, Instant.now());
        return server.node().queue().enqueue(env, ref).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static QueueEntry entry(MailfleetServer server, String id) {
        try {
            return server.node().queue().show(id).toCompletableFuture().get(10, TimeUnit.SECONDS).orElse(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int attempts(MailfleetServer server, String id) {
        QueueEntry e = entry(server, id);
        return e == null ? 0 : e.progress().attempts();
    }
}
