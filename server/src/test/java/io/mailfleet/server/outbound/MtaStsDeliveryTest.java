package io.mailfleet.server.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.protocols.outbound.MtaStsPolicyServer;
import io.mailfleet.protocols.outbound.MtaStsPolicyServer.Answer;
import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestCa;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MTA-STS and TLS-RPT end to end: a node with a test DNS server, MTA-STS policies served by a real
 * HTTPS server (certificate from a test CA the node trusts through its CA file), remote MXes
 * (sinks on 127.0.0.x) with and without STARTTLS, and TLS reports collected by another sink.
 */
class MtaStsDeliveryTest {

    @TempDir
    static Path data;

    static TestDnsServer dns;
    static MtaStsPolicyServer https;
    static SinkSmtpServer enforced;
    static SinkSmtpServer stray;
    static SinkSmtpServer noTls;
    static SinkSmtpServer testing;
    static SinkSmtpServer broken;
    static SinkSmtpServer explicit;
    static SinkSmtpServer reports;
    static SinkSmtpServer expired;
    static MailfleetServer server;

    private static String policy(String mode, String... mx) {
        StringBuilder b = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String m : mx) {
            b.append("mx: ").append(m).append("\r\n");
        }
        return b.append("max_age: 86400\r\n").toString();
    }

    @BeforeAll
    static void start() throws Exception {
        TestCa ca = new TestCa("MTA-STS Delivery CA");
        Path pem = ca.writePem(data.resolve("ca.pem"));
        enforced = new SinkSmtpServer(InetAddress.getByName("127.0.0.50"), 0);
        int port = enforced.port();
        stray = new SinkSmtpServer(InetAddress.getByName("127.0.0.51"), port);
        noTls = new SinkSmtpServer(InetAddress.getByName("127.0.0.52"), port);
        testing = new SinkSmtpServer(InetAddress.getByName("127.0.0.53"), port);
        broken = new SinkSmtpServer(InetAddress.getByName("127.0.0.54"), port);
        explicit = new SinkSmtpServer(InetAddress.getByName("127.0.0.55"), port);
        reports = new SinkSmtpServer(InetAddress.getByName("127.0.0.56"), port);
        expired = new SinkSmtpServer(InetAddress.getByName("127.0.0.58"), port);
        expired.starttls = true;
        expired.tlsContext = ca.expired("mx.expired.example");
        enforced.starttls = true;
        enforced.tlsContext = ca.server("mx.enforced.example");
        stray.starttls = true;
        stray.tlsContext = ca.server("mx.stray.example");
        noTls.starttls = false;
        testing.starttls = true;
        testing.tlsContext = ca.server("mx.elsewhere.example");
        broken.starttls = false;
        explicit.starttls = false;
        reports.starttls = false;
        https = new MtaStsPolicyServer(InetAddress.getByName("127.0.0.57"), 0, ca.server("mta-sts.enforced.example",
                "mta-sts.stray.example", "mta-sts.notls.example", "mta-sts.testing.example", "mta-sts.broken.example",
                "mta-sts.explicit.example", "mta-sts.expired.example", "tlsrpt.reports.example"));
        https.answer("enforced.example", Answer.policy(policy("enforce", "mx.enforced.example")))
                .answer("stray.example", Answer.policy(policy("enforce", "mx.listed.example")))
                .answer("notls.example", Answer.policy(policy("enforce", "*.notls.example")))
                .answer("testing.example", Answer.policy(policy("testing", "mx.other.example")))
                .answer("broken.example", Answer.status(404))
                .answer("explicit.example", Answer.policy(policy("enforce", "mx.explicit.example")))
                .answer("expired.example", Answer.policy(policy("enforce", "mx.expired.example")));
        dns = new TestDnsServer();
        Map<String, String> mx = Map.of("enforced", "127.0.0.50", "stray", "127.0.0.51", "notls", "127.0.0.52",
                "testing", "127.0.0.53", "broken", "127.0.0.54", "explicit", "127.0.0.55", "expired", "127.0.0.58");
        for (Map.Entry<String, String> e : mx.entrySet()) {
            String d = e.getKey() + ".example";
            dns.mx(d, 10, "mx." + d).a("mx." + d, e.getValue())
                    .txt("_mta-sts." + d, "v=STSv1; id=" + e.getKey() + "1;")
                    .a("mta-sts." + d, "127.0.0.57");
        }
        for (String d : List.of("testing.example", "broken.example", "expired.example")) {
            dns.txt("_smtp._tls." + d, "v=TLSRPTv1; rua=mailto:tlsrpt@reports.example");
        }
        // enforced.example wants its reports by mail and by HTTPS POST (RFC 8460 §5.2).
        dns.txt("_smtp._tls.enforced.example", "v=TLSRPTv1; rua=mailto:tlsrpt@reports.example,https://tlsrpt.reports.example:"
                + https.port() + "/v1/report").a("tlsrpt.reports.example", "127.0.0.57");
        dns.mx("reports.example", 10, "mx.reports.example").a("mx.reports.example", "127.0.0.56");
        Files.createDirectories(data.resolve("config"));
        // An explicit policy-file entry wins over the domain's MTA-STS enforce policy.
        Files.write(data.resolve("config").resolve(RelayFiles.TLS_POLICY), List.of("explicit.example may"));
        server = TestServers.start(TestServers.env(data, Map.of(
                        "MAILFLEET_DNS_SERVER", "127.0.0.1:" + dns.settings(Duration.ofSeconds(2)).server().getPort(),
                        "MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(port),
                        "MAILFLEET_OUTBOUND_TLS_CA_FILE", pem.toString(),
                        "MAILFLEET_MTA_STS_HTTPS_PORT", Integer.toString(https.port()),
                        "MAILFLEET_TLS_RPT_ADDRESS", "tlsrpt-sender@example.com",
                        "MAILFLEET_TLS_RPT_PERIOD", "2s",
                        "MAILFLEET_RETRY_FIRST", "1s",
                        "MAILFLEET_RETRY_MAX", "2s",
                        "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s")),
                new FirstAccount("sender@example.com", "secret-password", false));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {enforced, stray, noTls, testing, broken, explicit, reports, expired, https}) {
            if (c != null) {
                c.close();
            }
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static void submit(String rcpt) throws Exception {
        int port = server.listeners().smtpPorts().get(SmtpMode.SUBMISSION);
        try (Wire c = Smtp.submission(port, "sender@example.com", "secret-password")) {
            Smtp.submit(c, "<sender@example.com>", List.of("<" + rcpt + ">"),
                    "From: sender@example.com\r\nTo: " + rcpt + "\r\nSubject: mta-sts\r\n\r\nhello\r\n");
        }
    }

    /** The reason the queue keeps for a pending recipient, or null when there is none. */
    private static String pendingReason(String rcpt) throws Exception {
        List<QueuedMessage> all = server.node().queue().list().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (QueuedMessage q : all) {
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

    /** Waits until the recipient is pending with a reason containing {@code expected}. */
    private static String waitForReason(String rcpt, String expected) throws Exception {
        String[] r = new String[1];
        OutboundDeliveryTest.waitFor(() -> {
            try {
                r[0] = pendingReason(rcpt);
                return r[0] != null && r[0].contains(expected);
            } catch (Exception e) {
                return false;
            }
        });
        return r[0];
    }

    private static SinkSmtpServer.Received received(SinkSmtpServer sink, String rcpt) {
        return sink.received.stream().filter(r -> r.rcptTo().stream().anyMatch(t -> t.contains(rcpt))).findFirst()
                .orElse(null);
    }

    @Test
    void enforceWithAListedMxDeliversOverVerifiedTls() throws Exception {
        submit("a@enforced.example");
        OutboundDeliveryTest.waitFor(() -> received(enforced, "a@enforced.example") != null);
        assertTrue(received(enforced, "a@enforced.example").tls(), "delivered over TLS");
        assertTrue(https.requestsFor("enforced.example") >= 1, "the policy was fetched over HTTPS");
    }

    @Test
    void enforceSkipsAnMxThePolicyDoesNotList() throws Exception {
        submit("b@stray.example");
        String reason = waitForReason("b@stray.example", "MTA-STS");
        assertTrue(reason.contains("MTA-STS policy of stray.example") && reason.contains("allows none of its MX hosts"),
                reason);
        assertEquals(0, stray.accepted.get(), "the unlisted MX is never connected to");
        assertTrue(stray.received.isEmpty());
    }

    @Test
    void enforceDefersWhenTheMxOffersNoStarttls() throws Exception {
        submit("c@notls.example");
        String reason = waitForReason("c@notls.example", "TLS");
        assertTrue(reason.contains("TLS is required but was not offered"), reason);
        assertTrue(noTls.commands.stream().noneMatch(x -> x.startsWith("MAIL")), noTls.commands.toString());
        assertTrue(noTls.received.isEmpty());
    }

    @Test
    void enforceDefersAnExpiredCertificateAndReportsIt() throws Exception {
        submit("g@expired.example");
        String reason = waitForReason("g@expired.example", "TLS handshake");
        assertTrue(expired.received.isEmpty(), "never delivered over an expired certificate");
        assertTrue(expired.commands.stream().noneMatch(x -> x.startsWith("MAIL")), expired.commands.toString());
        List<String> failures = new ArrayList<>();
        OutboundDeliveryTest.waitFor(() -> {
            failures.clear();
            for (SinkSmtpServer.Received r : reports.received) {
                try {
                    for (JsonNode p : report(r.data()).get("policies")) {
                        if (p.get("policy").get("policy-domain").asText().equals("expired.example")) {
                            assertEquals(0, p.get("summary").get("total-successful-session-count").asLong());
                            p.get("failure-details").forEach(f -> failures.add(f.get("result-type").asText() + " "
                                    + f.get("receiving-mx-hostname").asText()));
                        }
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            return !failures.isEmpty();
        });
        assertTrue(failures.stream().allMatch("certificate-expired mx.expired.example"::equals), failures + " " + reason);
    }

    @Test
    void explicitPolicyFileEntryWinsOverMtaSts() throws Exception {
        submit("e@explicit.example");
        OutboundDeliveryTest.waitFor(() -> explicit.received.size() == 1);
        assertFalse(explicit.received.get(0).tls(), "the policy file's may: plain text although MTA-STS says enforce");
        assertEquals(0, https.requestsFor("explicit.example"), "no MTA-STS lookup for a domain the policy file lists");
    }

    @Test
    void testingModeAndFetchFailureDeliverAndTheReportsCountThem() throws Exception {
        submit("a2@enforced.example");
        submit("d@testing.example");
        submit("f@broken.example");
        OutboundDeliveryTest.waitFor(() -> testing.received.size() == 1 && broken.received.size() == 1);
        assertTrue(testing.received.get(0).tls(), "testing: delivered at the configured level (may), over TLS");
        assertFalse(broken.received.get(0).tls(), "policy fetch failed: delivered as without a policy");

        // Reports arrive every 2 s; sum them per domain until each domain's sessions are in.
        Map<String, long[]> totals = new HashMap<>();
        Map<String, List<String>> results = new HashMap<>();
        OutboundDeliveryTest.waitFor(() -> {
            totals.clear();
            results.clear();
            try {
                for (SinkSmtpServer.Received r : reports.received) {
                    JsonNode report = report(r.data());
                    for (JsonNode p : report.get("policies")) {
                        String domain = p.get("policy").get("policy-domain").asText();
                        long[] t = totals.computeIfAbsent(domain, k -> new long[2]);
                        t[0] += p.get("summary").get("total-successful-session-count").asLong();
                        t[1] += p.get("summary").get("total-failure-session-count").asLong();
                        if (p.has("failure-details")) {
                            for (JsonNode f : p.get("failure-details")) {
                                results.computeIfAbsent(domain, k -> new ArrayList<>()).add(
                                        p.get("policy").get("policy-type").asText() + " " + f.get("result-type").asText()
                                                + " " + f.path("receiving-mx-hostname").asText() + " "
                                                + f.get("failed-session-count").asLong());
                            }
                        }
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return totals.containsKey("testing.example") && totals.containsKey("broken.example")
                    && totals.containsKey("enforced.example") && totals.get("enforced.example")[0] >= 1;
        });
        // enforced.example: verified sessions only (one per new connection; a reused connection is not a new session).
        assertEquals(0, totals.get("enforced.example")[1], results.toString());
        assertTrue(received(enforced, "a2@enforced.example").tls());
        // The same reports are posted over HTTPS (RFC 8460 §5.2), with the same counts.
        long mailed = totals.get("enforced.example")[0];
        OutboundDeliveryTest.waitFor(() -> posted()[0] >= mailed);
        assertEquals(0, posted()[1]);
        for (MtaStsPolicyServer.Post p : https.posts) {
            assertEquals("tlsrpt.reports.example", p.host());
            assertEquals("/v1/report", p.path());
            assertEquals("application/tlsrpt+gzip", p.contentType());
        }
        // testing.example: one session whose certificate names the wrong host, and the MX not in the policy.
        assertEquals(0, totals.get("testing.example")[0], results.toString());
        assertEquals(List.of("sts certificate-host-mismatch mx.testing.example 1",
                "sts validation-failure mx.testing.example 1"), results.get("testing.example").stream().sorted().toList());
        assertEquals(2, totals.get("testing.example")[1]);
        // broken.example: the policy fetch failed (404); the session without STARTTLS is no-policy-found.
        assertTrue(results.get("broken.example").contains("sts sts-policy-fetch-error  1"), results.toString());
        assertTrue(results.get("broken.example").contains("no-policy-found starttls-not-supported mx.broken.example 1"),
                results.toString());
        assertFalse(results.containsKey("reports.example"), "no report for a domain without _smtp._tls");
        SinkSmtpServer.Received first = reports.received.get(0);
        assertTrue(first.mailFrom().contains("tlsrpt-sender@example.com"), first.mailFrom());
        assertTrue(first.text().contains("TLS-Report-Domain: "), first.text());
        assertTrue(first.text().contains("report-type=\"tlsrpt\""), first.text());
    }

    /** Successes and failures of enforced.example in the reports posted so far. */
    private static long[] posted() {
        long[] n = new long[2];
        for (MtaStsPolicyServer.Post p : https.posts) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(p.body()))) {
                for (JsonNode policy : new ObjectMapper().readTree(in).get("policies")) {
                    assertEquals("enforced.example", policy.get("policy").get("policy-domain").asText());
                    n[0] += policy.get("summary").get("total-successful-session-count").asLong();
                    n[1] += policy.get("summary").get("total-failure-session-count").asLong();
                }
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return n;
    }

    /** The JSON of a TLS report mail: the gzip attachment of type application/tlsrpt+gzip. */
    static JsonNode report(byte[] mail) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail));
        assertTrue(m.getContentType().startsWith("multipart/report"), m.getContentType());
        MimeMultipart parts = (MimeMultipart) m.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart p = parts.getBodyPart(i);
            if (p.getContentType().startsWith("application/tlsrpt+gzip")) {
                assertTrue(p.getFileName().endsWith(".json.gz"), p.getFileName());
                try (InputStream in = new GZIPInputStream(p.getInputStream())) {
                    return new ObjectMapper().readTree(in);
                }
            }
        }
        throw new AssertionError("no application/tlsrpt+gzip part");
    }
}
