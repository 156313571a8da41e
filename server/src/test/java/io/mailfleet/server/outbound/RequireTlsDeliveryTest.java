package io.mailfleet.server.outbound;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.protocols.outbound.MtaStsPolicyServer;
import io.mailfleet.protocols.outbound.MtaStsPolicyServer.Answer;
import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestCa;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.tls.TestCertificates;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mailfleet.server.outbound.OutboundDeliveryTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * REQUIRETLS (RFC 8689) end to end: a node with its own certificate (SSL_TYPE=custom) takes tagged
 * messages only over TLS and relays them only over verified TLS (the {@code verify} level from the
 * policy file, or an MTA-STS {@code enforce} policy served over HTTPS) to remote MXes (sinks on
 * 127.0.0.7x with certificates from a test CA the node trusts) that offer REQUIRETLS; everything
 * else is returned to the sender with 5.7.10 or 5.7.30. {@code TLS-Required: No} lifts an enforce
 * policy for a message without REQUIRETLS.
 */
class RequireTlsDeliveryTest {

    private static final String SENDER = "sender@example.com";
    private static final String PASSWORD = "secret-password";

    @TempDir
    static Path data;

    static TestDnsServer dns;
    static MtaStsPolicyServer https;
    static SinkSmtpServer verified;
    static SinkSmtpServer withoutRequireTls;
    static SinkSmtpServer opportunistic;
    static SinkSmtpServer sts;
    static SinkSmtpServer stray;
    static SinkSmtpServer expired;
    static MailfleetServer server;

    @BeforeAll
    static void start() throws Exception {
        TestCa ca = new TestCa("REQUIRETLS Test CA");
        Path pem = ca.writePem(data.resolve("ca.pem"));
        verified = new SinkSmtpServer(InetAddress.getByName("127.0.0.70"), 0);
        int port = verified.port();
        withoutRequireTls = new SinkSmtpServer(InetAddress.getByName("127.0.0.71"), port);
        opportunistic = new SinkSmtpServer(InetAddress.getByName("127.0.0.72"), port);
        sts = new SinkSmtpServer(InetAddress.getByName("127.0.0.73"), port);
        stray = new SinkSmtpServer(InetAddress.getByName("127.0.0.74"), port);
        expired = new SinkSmtpServer(InetAddress.getByName("127.0.0.75"), port);
        Map<SinkSmtpServer, String> names = Map.of(verified, "verified", withoutRequireTls, "norequiretls",
                opportunistic, "opportunistic", sts, "sts", stray, "stray", expired, "expired");
        for (Map.Entry<SinkSmtpServer, String> e : names.entrySet()) {
            e.getKey().starttls = true;
            e.getKey().requireTls = e.getKey() != withoutRequireTls;
            e.getKey().tlsContext = e.getKey() == expired ? ca.expired("mx.expired.example")
                    : ca.server("mx." + e.getValue() + ".example");
        }
        https = new MtaStsPolicyServer(InetAddress.getByName("127.0.0.76"), 0,
                ca.server("mta-sts.sts.example", "mta-sts.stray.example"));
        https.answer("sts.example", Answer.policy("version: STSv1\r\nmode: enforce\r\nmx: mx.sts.example\r\nmax_age: 86400\r\n"))
                .answer("stray.example", Answer.policy("version: STSv1\r\nmode: enforce\r\nmx: mx.listed.example\r\nmax_age: 86400\r\n"));
        dns = new TestDnsServer();
        Map<String, String> mx = Map.of("verified", "127.0.0.70", "norequiretls", "127.0.0.71", "opportunistic", "127.0.0.72",
                "sts", "127.0.0.73", "stray", "127.0.0.74", "expired", "127.0.0.75");
        for (Map.Entry<String, String> e : mx.entrySet()) {
            String d = e.getKey() + ".example";
            dns.mx(d, 10, "mx." + d).a("mx." + d, e.getValue());
        }
        for (String d : List.of("sts.example", "stray.example")) {
            dns.txt("_mta-sts." + d, "v=STSv1; id=" + d.replace(".", "") + "1;").a("mta-sts." + d, "127.0.0.76");
        }
        Files.createDirectories(data.resolve("config"));
        Files.write(data.resolve("config").resolve(RelayFiles.TLS_POLICY), List.of(
                "verified.example verify", "norequiretls.example verify", "expired.example verify"));
        Path cert = TestCertificates.ecdsa("mail.example.com").writeCombined(data.resolve("certs/mail.example.com-full.pem"));
        server = TestServers.start(TestServers.env(data, Map.ofEntries(
                        Map.entry("SSL_TYPE", "custom"),
                        Map.entry("SSL_CERT_PATH", cert.toString()),
                        Map.entry("MAILFLEET_DNS_SERVER", "127.0.0.1:" + dns.settings(Duration.ofSeconds(2)).server().getPort()),
                        Map.entry("MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(port)),
                        Map.entry("MAILFLEET_OUTBOUND_TLS_CA_FILE", pem.toString()),
                        Map.entry("MAILFLEET_MTA_STS_HTTPS_PORT", Integer.toString(https.port())),
                        Map.entry("MAILFLEET_RETRY_FIRST", "1s"),
                        Map.entry("MAILFLEET_RETRY_MAX", "2s"),
                        Map.entry("MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s"))),
                new FirstAccount(SENDER, PASSWORD, false));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {verified, withoutRequireTls, opportunistic, sts, stray, expired, https}) {
            if (c != null) {
                c.close();
            }
        }
        if (dns != null) {
            dns.close();
        }
    }

    /** EHLO's keywords, one per line without the code. */
    private static List<String> ehlo(Wire c) throws Exception {
        String reply = Smtp.command(c, "EHLO client.example", "250");
        List<String> out = new ArrayList<>();
        for (String line : reply.split("\r?\n")) {
            if (line.length() > 4) {
                out.add(line.substring(4).strip());
            }
        }
        return out;
    }

    /** A submission connection after STARTTLS and AUTH. */
    private static Wire submissionOverTls() throws Exception {
        Wire c = Wire.connect(Wire.Protocol.SMTP, server.listeners().smtpPorts().get(SmtpMode.SUBMISSION), 30_000);
        Smtp.require(c.smtpReply(), "220");
        ehlo(c);
        Smtp.command(c, "STARTTLS", "220");
        c.startTls();
        assertTrue(ehlo(c).contains("REQUIRETLS"), "submission offers REQUIRETLS after STARTTLS");
        String plain = Base64.getEncoder().encodeToString(("\0" + SENDER + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        Smtp.command(c, "AUTH PLAIN " + plain, "235");
        return c.farewell("QUIT");
    }

    private static String submit(String mailFromArgs, String rcpt, String extraHeader) throws Exception {
        try (Wire c = submissionOverTls()) {
            return Smtp.submit(c, mailFromArgs, List.of("<" + rcpt + ">"), "From: " + SENDER + "\r\nTo: " + rcpt
                    + "\r\nSubject: requiretls " + rcpt + "\r\n" + extraHeader + "\r\nhello " + rcpt + "\r\n");
        }
    }

    private static List<String> inbox() throws Exception {
        List<MessageMeta> metas = server.node().mailboxes().messages(SENDER, "INBOX").toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        List<String> out = new ArrayList<>();
        for (MessageMeta m : metas) {
            try (InputStream in = server.blobs().open(m.blob())) {
                out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The failure report in the sender's INBOX about queue id {@code id}. */
    private static String awaitBounce(String id) throws Exception {
        String[] found = new String[1];
        waitFor(() -> {
            try {
                found[0] = inbox().stream().filter(m -> m.contains("X-Mailfleet-Queue-ID: " + id)
                        && m.contains("Undelivered Mail Returned to Sender")).findFirst().orElse(null);
                return found[0] != null;
            } catch (Exception e) {
                return false;
            }
        });
        return found[0];
    }

    private static SinkSmtpServer.Received received(SinkSmtpServer sink, String rcpt) {
        return sink.received.stream().filter(r -> r.rcptTo().stream().anyMatch(t -> t.contains(rcpt))).findFirst()
                .orElse(null);
    }

    private static String pendingReason(String rcpt) throws Exception {
        for (QueuedMessage q : server.node().queue().list().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            for (int i = 0; i < q.targets().size(); i++) {
                TargetStatus s = q.status().get(i);
                if (q.targets().get(i).recipient().equals(rcpt) && s != null && s.state() == TargetStatus.State.PENDING
                        && s.reason() != null && !s.reason().isEmpty()) {
                    return s.reason();
                }
            }
        }
        return null;
    }

    @Test
    void theMxPortOffersRequireTlsOnlyAfterStartTlsAndRefusesTheTagInPlainText() throws Exception {
        try (Wire c = Wire.connect(Wire.Protocol.SMTP, server.listeners().smtpPorts().get(SmtpMode.MX), 30_000)) {
            Smtp.require(c.smtpReply(), "220");
            List<String> plain = ehlo(c);
            assertTrue(plain.contains("STARTTLS"), "STARTTLS offered: " + plain);
            assertFalse(plain.contains("REQUIRETLS"), "no REQUIRETLS before TLS: " + plain);
            String refused = c.send("MAIL FROM:<someone@remote.example> REQUIRETLS").smtpReply();
            assertTrue(refused.startsWith("530 5.7.10 "), refused);
            Smtp.command(c, "STARTTLS", "220");
            c.startTls();
            assertTrue(ehlo(c).contains("REQUIRETLS"), "REQUIRETLS after STARTTLS");
            // Local delivery is unaffected by the tag.
            Smtp.submit(c, "<someone@remote.example> REQUIRETLS", List.of("<" + SENDER + ">"),
                    "From: someone@remote.example\r\nTo: " + SENDER + "\r\nSubject: tagged local\r\n\r\nlocal body\r\n");
            waitFor(() -> {
                try {
                    return inbox().stream().anyMatch(m -> m.contains("Subject: tagged local"));
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals("501 5.5.4 Bad REQUIRETLS parameter syntax",
                    c.send("MAIL FROM:<someone@remote.example> REQUIRETLS=yes").smtpReply().strip());
        }
    }

    @Test
    void aTaggedMessageGoesOverVerifiedTlsWithRequireTlsOnMailFrom() throws Exception {
        submit("<" + SENDER + "> REQUIRETLS", "bob@verified.example", "");
        waitFor(() -> received(verified, "bob@verified.example") != null);
        SinkSmtpServer.Received r = received(verified, "bob@verified.example");
        assertTrue(r.tls(), "delivered over TLS");
        assertEquals("<" + SENDER + "> REQUIRETLS", r.mailFrom().strip());
        assertTrue(verified.commands.stream().anyMatch(l -> l.equals("MAIL FROM:<" + SENDER + "> REQUIRETLS")),
                "MAIL FROM carries REQUIRETLS: " + verified.commands);
    }

    @Test
    void anMtaStsEnforcePolicyIsAVerifiedRoute() throws Exception {
        submit("<" + SENDER + "> REQUIRETLS", "carol@sts.example", "");
        waitFor(() -> received(sts, "carol@sts.example") != null);
        assertTrue(received(sts, "carol@sts.example").tls());
        assertTrue(sts.commands.stream().anyMatch(l -> l.equals("MAIL FROM:<" + SENDER + "> REQUIRETLS")), String.valueOf(sts.commands));
    }

    @Test
    void aVerifiedHostWithoutRequireTlsGetsNothingAndTheSenderABounceWith5730() throws Exception {
        String id = submit("<" + SENDER + "> REQUIRETLS", "dave@norequiretls.example", "");
        String bounce = awaitBounce(id);
        assertTrue(bounce.contains("Status: 5.7.30"), bounce);
        assertTrue(bounce.contains("REQUIRETLS support required"), bounce);
        assertEquals(null, received(withoutRequireTls, "dave@norequiretls.example"), "never sent without REQUIRETLS");
        assertFalse(withoutRequireTls.commands.stream().anyMatch(l -> l.startsWith("MAIL FROM")),
                "no transaction was opened: " + withoutRequireTls.commands);
    }

    @Test
    void anUnverifiedRouteIsNotTriedAndTheSenderGetsABounceWith5710() throws Exception {
        String id = submit("<" + SENDER + "> REQUIRETLS", "erin@opportunistic.example", "");
        String bounce = awaitBounce(id);
        assertTrue(bounce.contains("Status: 5.7.10"), bounce);
        assertTrue(bounce.contains("TLS policy for opportunistic.example is may"), bounce);
        assertTrue(opportunistic.commands.isEmpty(), "no connection at level may: " + opportunistic.commands);
        // The same destination without the tag is delivered as before (opportunistic TLS).
        submit("<" + SENDER + ">", "frank@opportunistic.example", "");
        waitFor(() -> received(opportunistic, "frank@opportunistic.example") != null);
        assertEquals("<" + SENDER + ">", received(opportunistic, "frank@opportunistic.example").mailFrom().strip());
    }

    @Test
    void anExpiredCertificateBouncesATaggedMessageWith5710() throws Exception {
        String id = submit("<" + SENDER + "> REQUIRETLS", "gina@expired.example", "");
        String bounce = awaitBounce(id);
        assertTrue(bounce.contains("Status: 5.7.10"), bounce);
        assertEquals(null, received(expired, "gina@expired.example"));
    }

    @Test
    void tlsRequiredNoLiftsAnEnforcePolicyButNotRequireTls() throws Exception {
        // Without the header the enforce policy (which lists another MX) keeps the message queued.
        submit("<" + SENDER + ">", "held@stray.example", "");
        String[] reason = new String[1];
        waitFor(() -> {
            try {
                reason[0] = pendingReason("held@stray.example");
                return reason[0] != null && reason[0].contains("MTA-STS policy of stray.example");
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(null, received(stray, "held@stray.example"));
        // With TLS-Required: No the same MX gets it (RFC 8689 §5).
        submit("<" + SENDER + ">", "free@stray.example", "TLS-Required: No\r\n");
        waitFor(() -> received(stray, "free@stray.example") != null);
        // REQUIRETLS wins over the header: it is ignored, the route is not verified, the message bounces.
        String id = submit("<" + SENDER + "> REQUIRETLS", "tagged@stray.example", "TLS-Required: No\r\n");
        String bounce = awaitBounce(id);
        assertTrue(bounce.contains("Status: 5.7.10"), bounce);
        assertNotNull(bounce);
        assertEquals(null, received(stray, "tagged@stray.example"));
    }
}
