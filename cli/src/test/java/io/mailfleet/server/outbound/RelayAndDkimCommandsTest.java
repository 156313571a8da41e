package io.mailfleet.server.outbound;

import io.mailfleet.cli.CliRun;
import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestDnsServer;

import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimResult;
import io.mailfleet.core.dkim.DkimVerifier;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.mailfleet.cli.CliRun.cli;

/**
 * {@code config dkim} and the {@code relay} verbs against a running node without a docker-mailserver
 * directory: keys and relay files land where the node reads them, and the next messages are signed
 * with the new key (verified against the printed record) and routed through the new relay settings.
 */
class RelayAndDkimCommandsTest {

    @TempDir
    Path data;

    @Test
    void keysAndRelayFilesWrittenByTheCliTakeEffectOnTheRunningNode() throws Exception {
        try (SinkSmtpServer relay = new SinkSmtpServer(InetAddress.getByName("127.0.0.7"), 0);
             SinkSmtpServer mx = new SinkSmtpServer(InetAddress.getByName("127.0.0.8"), relay.port());
             TestDnsServer dns = new TestDnsServer().mx("remote.example", 10, "mx.remote.example")
                     .a("mx.remote.example", "127.0.0.8")) {
            Map<String, String> env = TestServers.env(data, Map.of(
                    "MAILFLEET_DNS_SERVER", "127.0.0.1:" + dns.settings(Duration.ofSeconds(2)).server().getPort(),
                    "MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(relay.port()),
                    "MAILFLEET_RETRY_FIRST", "1s",
                    "MAILFLEET_RETRY_MAX", "2s",
                    "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s"));
            try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret-pw", false))) {
                // DKIM: domains default to the node's domains; the DMS OpenDKIM layout under <data>/dkim.
                CliRun dkim = cli(env, "config", "dkim", "selector", "s2");
                assertEquals(0, dkim.code(), dkim.toString());
                assertTrue(dkim.out().contains("Creating DKIM private key"), dkim.out());
                Path keys = data.resolve("dkim");
                Path priv = keys.resolve("keys/example.com/s2.private");
                assertTrue(Files.exists(priv) && Files.exists(keys.resolve("keys/example.com/s2.txt")));
                assertTrue(Files.readString(keys.resolve("KeyTable")).contains(
                        "s2._domainkey.example.com example.com:s2:/etc/opendkim/keys/example.com/s2.private"));
                assertTrue(Files.readString(keys.resolve("SigningTable")).contains("*@example.com s2._domainkey.example.com"));
                assertTrue(Files.readString(keys.resolve("TrustedHosts")).contains("127.0.0.1"));
                String printed = dkim.out().substring(dkim.out().indexOf("Publish this TXT record"));
                String record = DkimKeys.recordFromZoneFileText(printed.substring(printed.indexOf('\n')));
                assertTrue(record.startsWith("v=DKIM1;") && record.contains("k=rsa"), record);

                String before = Files.readString(priv);
                CliRun again = cli(env, "config", "dkim", "selector", "s2", "domain", "example.com");
                assertEquals(0, again.code(), again.toString());
                assertTrue(again.out().contains("already exists"), again.out());
                assertEquals(before, Files.readString(priv), "an existing key is never overwritten");
                CliRun badSize = cli(env, "config", "dkim", "keysize", "3000");
                assertEquals(1, badSize.code());
                assertTrue(badSize.err().contains("Invalid keysize '3000'"), badSize.toString());
                assertEquals(1, cli(env, "config", "dkim", "keytype", "ed25519", "keysize", "2048").code());
                CliRun unknown = cli(env, "config", "dkim", "bits", "2048");
                assertEquals(1, unknown.code());
                assertTrue(unknown.err().contains("Unknown option(s) 'bits'"), unknown.toString());
                CliRun ed = cli(env, "config", "dkim", "keytype", "ed25519", "selector", "ed", "domain", "other.example");
                assertEquals(0, ed.code(), ed.toString());
                assertTrue(ed.out().contains("k=ed25519"), ed.out());

                // relay add-domain: the node reads <data>/config/postfix-relaymap.cf on change.
                CliRun noDomain = cli(env, "relay", "add-domain");
                assertEquals(1, noDomain.code());
                assertTrue(noDomain.err().contains("No domain specified"), noDomain.toString());
                assertEquals(1, cli(env, "relay", "add-domain", "example.com", "relay.test", "smtp").code());
                CliRun add = cli(env, "relay", "add-domain", "example.com", "127.0.0.7", Integer.toString(relay.port()));
                assertEquals(0, add.code(), add.toString());
                Path relayMap = data.resolve("config/postfix-relaymap.cf");
                assertEquals("@example.com\t\t[127.0.0.7]:" + relay.port() + "\n", Files.readString(relayMap));
                String first = enqueue(server, "first relayed");
                OutboundDeliveryTest.waitFor(() -> relay.received.stream().anyMatch(r -> r.text().contains("first relayed")));
                SinkSmtpServer.Received r = relay.received.get(0);
                assertTrue(r.text().startsWith("DKIM-Signature:") && r.text().contains("s=s2;"), r.text());
                List<DkimResult> results = new DkimVerifier(name -> name.equals("s2._domainkey.example.com")
                        ? List.of(record) : List.of(), Clock.systemUTC()).verify(new ByteArrayInputStream(r.data()));
                assertEquals(1, results.size());
                assertTrue(results.get(0).passed(), "the printed record verifies the node's signature: " + results);
                OutboundDeliveryTest.waitFor(() -> entry(server, first) == null);

                // exclude-domain replaces the line: without RELAY_HOST the domain goes to its MX directly.
                assertEquals(0, cli(env, "relay", "exclude-domain", "example.com").code());
                assertEquals("@example.com\n", Files.readString(relayMap));
                enqueue(server, "second direct");
                OutboundDeliveryTest.waitFor(() -> mx.received.stream().anyMatch(x -> x.text().contains("second direct")));
                assertFalse(relay.received.stream().anyMatch(x -> x.text().contains("second direct")));

                // add-auth: credentials make the relay connection use STARTTLS and AUTH.
                relay.starttls = true;
                relay.authUser = "relayuser";
                relay.authPassword = "relay secret";
                assertEquals(0, cli(env, "relay", "add-domain", "example.com", "127.0.0.7", Integer.toString(relay.port())).code());
                CliRun auth = cli(env, "relay", "add-auth", "example.com", "relayuser", "relay", "secret");
                assertEquals(0, auth.code(), auth.toString());
                assertEquals("@example.com\t\trelayuser:relay secret\n",
                        Files.readString(data.resolve("config/postfix-sasl-password.cf")));
                CliRun noPassword = cli(env, "relay", "add-auth", "example.com", "relayuser");
                assertEquals(1, noPassword.code());
                assertTrue(noPassword.err().contains("No password specified"), noPassword.toString());
                enqueue(server, "third authenticated");
                OutboundDeliveryTest.waitFor(() -> relay.received.stream().anyMatch(x -> x.text().contains("third authenticated")));
                SinkSmtpServer.Received third = relay.received.stream()
                        .filter(x -> x.text().contains("third authenticated")).findFirst().orElseThrow();
                assertTrue(third.tls(), "relayed over TLS");
                assertEquals("relayuser", third.authUser());
            }
        }
    }

    private static String enqueue(MailfleetServer server, String subject) throws Exception {
        String msg = "From: <user@example.com>\r\nTo: <far@remote.example>\r\nSubject: " + subject
                + "\r\nDate: Sat, 21 Nov 2026 10:00:00 +0000\r\nMessage-ID: <" + subject.replace(' ', '-')
                + "@example.com>\r\n\r\nbody of " + subject + "\r\n";
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
}
