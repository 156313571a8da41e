package io.mailfleet.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DMARC failure reports (RFC 7489 section 7.3, RFC 6591 AFRF) end to end: a node receives failing mail
 * over SMTP from an untrusted client, the policies served by a test DNS server, and queues the reports
 * through its outbound queue to a second SMTP server, the MX of the ruf= domains, which receives a
 * parseable multipart/report. fo=0 and fo=1 are honoured, an unauthorized external address (section 7.1)
 * gets nothing, at most max-per-hour reports go out per policy domain, and a node with failure reports
 * off sends none.
 */
class DmarcFailureReportEndToEndTest {

    @TempDir
    Path data;
    static TestDnsServer dns;
    static SinkSmtpServer mx;
    private ListAppender<ILoggingEvent> reportLog;
    private Level previousLevel;

    @BeforeAll
    static void zone() throws Exception {
        mx = new SinkSmtpServer(InetAddress.getByName("127.0.0.62"), 0);
        mx.starttls = false;
        dns = new TestDnsServer()
                .txt("bulk.test", "v=spf1 ip4:127.0.0.0/8 -all")
                // fo=0 (default): DMARC failed; one authorized external address, one unauthorized
                .txt("_dmarc.strict.test", "v=DMARC1; p=reject; rua=mailto:agg@reports.test;"
                        + " ruf=mailto:ruf@reports.test,mailto:ruf@unverified.test")
                .txt("strict.test._report._dmarc.reports.test", "v=DMARC1")
                .txt("_dmarc.bounded.test", "v=DMARC1; p=none; ruf=mailto:ruf@bounded.test")
                // SPF-aligned pass without DKIM: fo=1 asks for a report, fo=0 does not
                .txt("fo1.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("_dmarc.fo1.test", "v=DMARC1; p=reject; fo=1; ruf=mailto:ruf@fo1.test")
                .txt("fo0.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("_dmarc.fo0.test", "v=DMARC1; p=reject; fo=0; ruf=mailto:ruf@fo0.test")
                // rf= without afrf: no format this receiver knows, no report
                .txt("_dmarc.iodef.test", "v=DMARC1; p=none; rf=iodef; ruf=mailto:ruf@iodef.test")
                .mx("reports.test", 10, "mx.reports.test").a("mx.reports.test", "127.0.0.62")
                .mx("unverified.test", 10, "mx.reports.test")
                .mx("bounded.test", 10, "mx.reports.test")
                .mx("fo1.test", 10, "mx.reports.test")
                .mx("fo0.test", 10, "mx.reports.test")
                .mx("iodef.test", 10, "mx.reports.test");
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (mx != null) {
            mx.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @BeforeEach
    void captureLog() {
        Logger log = (Logger) LoggerFactory.getLogger("io.mailfleet.dmarc-reports");
        previousLevel = log.getLevel();
        log.setLevel(Level.DEBUG);
        reportLog = new ListAppender<>();
        reportLog.start();
        log.addAppender(reportLog);
        mx.received.clear();
    }

    @AfterEach
    void releaseLog() {
        Logger log = (Logger) LoggerFactory.getLogger("io.mailfleet.dmarc-reports");
        log.detachAppender(reportLog);
        log.setLevel(previousLevel);
    }

    private MailfleetServer start(Map<String, String> extra) throws Exception {
        var s = dns.settings(Duration.ofSeconds(2)).server();
        Map<String, String> env = new HashMap<>(Map.of("ENABLE_OPENDKIM", "1", "ENABLE_POLICYD_SPF", "1",
                "TRUSTED_NETWORKS", "192.0.2.1/32",
                "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort(),
                "MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(mx.port()),
                "MAILFLEET_DMARC_REPORT_ADDRESS", "dmarc-reports@example.com",
                "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s"));
        env.putAll(extra);
        return TestServers.start(TestServers.env(data, env), new FirstAccount("user@example.com", "secret", false));
    }

    /** One message on port 25 from 127.0.0.1; the reply to the end of data. */
    private static String send(MailfleetServer server, String mailFrom, String from, String subject) throws Exception {
        int port = server.listeners().smtpPorts().get(SmtpMode.MX);
        try (Wire c = Wire.from(Wire.Protocol.LINES, "127.0.0.1", port).resetIsEnd()) {
            assertTrue(c.line().startsWith("220 "));
            c.send("EHLO client.remote.example");
            c.until("250 ");
            c.send("MAIL FROM:<" + mailFrom + ">");
            assertEquals("250 2.1.0 Ok", c.line());
            c.send("RCPT TO:<user@example.com>");
            assertTrue(c.line().startsWith("250 "));
            c.send("DATA");
            assertTrue(c.line().startsWith("354 "));
            c.send("From: " + from + "\r\nTo: user@example.com\r\nSubject: " + subject
                    + "\r\nMessage-ID: <" + subject.replace(' ', '-') + "@client.remote.example>\r\n\r\n"
                    + "The body stays private.\r\n.");
            return c.line();
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(100);
        }
    }

    private static void queueEmpty(MailfleetServer server) throws InterruptedException {
        waitFor(() -> {
            try {
                return server.node().queue().list().toCompletableFuture().get(10, TimeUnit.SECONDS).isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }

    private boolean logged(String text) {
        return reportLog.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }

    private static List<SinkSmtpServer.Received> to(String rcpt) {
        return mx.received.stream().filter(r -> r.rcptTo().stream().anyMatch(t -> t.contains(rcpt))).toList();
    }

    /** A failure report's three parts: the text, the feedback report's fields and the quoted header section. */
    private record Report(MimeMessage mail, String text, InternetHeaders feedback, String headers) {
    }

    private static Report parse(byte[] data) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data));
        assertTrue(m.getContentType().startsWith("multipart/report"), m.getContentType());
        assertTrue(m.getContentType().contains("report-type=feedback-report"), m.getContentType());
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertEquals(3, parts.getCount());
        BodyPart text = parts.getBodyPart(0);
        BodyPart feedback = parts.getBodyPart(1);
        BodyPart headers = parts.getBodyPart(2);
        assertTrue(text.getContentType().startsWith("text/plain"), text.getContentType());
        assertTrue(feedback.getContentType().startsWith("message/feedback-report"), feedback.getContentType());
        assertTrue(headers.getContentType().startsWith("text/rfc822-headers"), headers.getContentType());
        InternetHeaders fields;
        try (InputStream in = feedback.getInputStream()) {
            fields = new InternetHeaders(in);
        }
        String quoted;
        try (InputStream in = headers.getInputStream()) {
            quoted = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        String body;
        try (InputStream in = text.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        return new Report(m, body, fields, quoted);
    }

    private static String field(Report r, String name) {
        String[] v = r.feedback().getHeader(name);
        return v == null ? null : v[0].replaceAll("\\s+", " ").strip();
    }

    @Test
    void failuresAreReportedAsTheRecordsAskWithinTheHourlyBound() throws Exception {
        try (MailfleetServer server = start(Map.of("MAILFLEET_DMARC_FAILURE_REPORTS", "1",
                "MAILFLEET_DMARC_FAILURE_REPORTS_PER_HOUR", "2"))) {
            assertEquals("550 5.7.1 Rejected by DMARC policy for strict.test",
                    send(server, "x@bulk.test", "Boss <boss@strict.test>", "forged boss"));

            waitFor(() -> !to("ruf@reports.test").isEmpty());
            SinkSmtpServer.Received mail = to("ruf@reports.test").get(0);
            assertTrue(mail.mailFrom().contains("dmarc-reports@example.com"), mail.mailFrom());
            Report r = parse(mail.data());
            assertEquals("auth-failure", field(r, "Feedback-Type"));
            assertEquals("1", field(r, "Version"));
            assertEquals("dmarc", field(r, "Auth-Failure"));
            assertEquals("reject", field(r, "Delivery-Result"));
            assertEquals("none", field(r, "Identity-Alignment"));
            assertEquals("strict.test", field(r, "Reported-Domain"));
            assertEquals("127.0.0.1", field(r, "Source-IP"));
            assertEquals("<x@bulk.test>", field(r, "Original-Mail-From"));
            assertTrue(field(r, "Authentication-Results").startsWith("mail.example.com; spf=pass"),
                    field(r, "Authentication-Results"));
            assertTrue(field(r, "Authentication-Results").contains("dmarc=fail (p=reject dis=reject;"),
                    field(r, "Authentication-Results"));
            assertTrue(r.headers().contains("Subject: forged boss\r\n"), r.headers());
            assertTrue(r.headers().contains("Message-ID: <forged-boss@client.remote.example>\r\n"), r.headers());
            assertTrue(r.headers().contains("Received: from client.remote.example"), r.headers());
            // only the header section: the body is never in a failure report
            assertFalse(new String(mail.data(), StandardCharsets.ISO_8859_1).contains("The body stays private"));
            assertEquals("dmarc-reports@example.com", r.mail().getFrom()[0].toString());
            assertTrue(r.mail().getSubject().contains("strict.test"), r.mail().getSubject());

            // fo=1 reports an SPF-aligned pass without DKIM; fo=0 and rf=iodef report nothing
            assertTrue(send(server, "x@fo1.test", "a@fo1.test", "fo one").startsWith("250 "));
            assertTrue(send(server, "x@fo0.test", "a@fo0.test", "fo zero").startsWith("250 "));
            assertTrue(send(server, "x@bulk.test", "a@iodef.test", "iodef").startsWith("250 "));
            waitFor(() -> !to("ruf@fo1.test").isEmpty());
            Report fo1 = parse(to("ruf@fo1.test").get(0).data());
            assertEquals("delivered", field(fo1, "Delivery-Result"));
            assertEquals("spf", field(fo1, "Identity-Alignment"));
            waitFor(() -> logged("no DMARC failure report for fo0.test") && logged("no DMARC failure report for iodef.test"));

            // three failures of bounded.test with max-per-hour = 2: two reports
            for (int i = 0; i < 3; i++) {
                assertTrue(send(server, "x@bulk.test", "a@bounded.test", "bounded " + i).startsWith("250 "));
            }
            waitFor(() -> logged("DMARC failure report for bounded.test not sent to <ruf@bounded.test>:"
                    + " 2 reports this hour already"));
            waitFor(() -> to("ruf@bounded.test").size() == 2);
            // the external address of strict.test that did not authorize reports got none
            waitFor(() -> logged("DMARC failure report for strict.test not sent to <ruf@unverified.test>"));
            queueEmpty(server);
            assertEquals(2, to("ruf@bounded.test").size());
            assertEquals(List.of(), to("ruf@unverified.test"));
            assertEquals(List.of(), to("ruf@fo0.test"));
            assertEquals(List.of(), to("ruf@iodef.test"));
            assertEquals(1, to("ruf@reports.test").size());
        }
    }

    @Test
    void nothingIsSentWhenFailureReportsAreOff() throws Exception {
        try (MailfleetServer server = start(Map.of("MAILFLEET_DMARC_REPORT_PERIOD", "2s"))) {
            assertEquals("550 5.7.1 Rejected by DMARC policy for strict.test",
                    send(server, "x@bulk.test", "Boss <boss@strict.test>", "forged boss"));
            // the aggregate report of the same evaluation comes; a failure report, were it on, is queued first
            waitFor(() -> !to("agg@reports.test").isEmpty());
            queueEmpty(server);
            assertEquals(List.of(), to("ruf@reports.test"));
            assertFalse(logged("DMARC failure report for"), reportLog.list.toString());
        }
    }
}
