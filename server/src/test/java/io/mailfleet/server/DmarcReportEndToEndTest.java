package io.mailfleet.server;

import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DMARC aggregate reports end to end: a node evaluates mail from an untrusted client against policies
 * served by a test DNS server, records each evaluation cluster-wide and sends the gzip XML reports
 * every 2 s through its outbound queue to a second SMTP server, the MX of the rua domains. An address
 * in another domain gets reports only when that domain authorizes it (RFC 7489 section 7.1), and one
 * whose !size is too small for the report gets none.
 */
class DmarcReportEndToEndTest {

    @TempDir
    static Path data;
    static TestDnsServer dns;
    static SinkSmtpServer rua;
    static MailfleetServer server;

    @BeforeAll
    static void start() throws Exception {
        rua = new SinkSmtpServer(InetAddress.getByName("127.0.0.61"), 0);
        rua.starttls = false;
        dns = new TestDnsServer()
                .txt("bulk.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("strict.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("_dmarc.strict.test", "v=DMARC1; p=reject; adkim=s; rua=mailto:dmarc@reports.test; fo=1")
                .txt("strict.test._report._dmarc.reports.test", "v=DMARC1")
                // reports.test authorizes quarantine.test too, but the !100 limit is far below any report
                .txt("_dmarc.quarantine.test", "v=DMARC1; p=quarantine; rua=mailto:other@unverified.test,"
                        + "mailto:small@reports.test!100,mailto:agg@quarantine.test")
                .txt("quarantine.test._report._dmarc.reports.test", "v=DMARC1")
                .mx("reports.test", 10, "mx.reports.test").a("mx.reports.test", "127.0.0.61")
                .mx("unverified.test", 10, "mx.reports.test")
                .mx("quarantine.test", 10, "mx.reports.test");
        var s = dns.settings(Duration.ofSeconds(2)).server();
        server = TestServers.start(TestServers.env(data, Map.of(
                        "ENABLE_OPENDKIM", "1", "ENABLE_POLICYD_SPF", "1",
                        "TRUSTED_NETWORKS", "192.0.2.1/32",
                        "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort(),
                        "MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(rua.port()),
                        "MAILFLEET_DMARC_REPORT_ADDRESS", "dmarc-reports@example.com",
                        "MAILFLEET_DMARC_REPORT_PERIOD", "2s",
                        "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s")),
                new FirstAccount("user@example.com", "secret", false));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (rua != null) {
            rua.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    /** One message on port 25 from 127.0.0.1; the reply to the end of data. */
    private static String send(String mailFrom, String from) throws Exception {
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
            c.send("From: " + from + "\r\nTo: user@example.com\r\nSubject: dmarc\r\n\r\nhello\r\n.");
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

    private static List<SinkSmtpServer.Received> to(String rcpt) {
        return rua.received.stream().filter(r -> r.rcptTo().stream().anyMatch(t -> t.contains(rcpt))).toList();
    }

    /** The attachment's file name and the XML of a report mail. */
    private record Report(String fileName, Document xml) {
        String text(String tag) {
            return xml.getElementsByTagName(tag).item(0).getTextContent();
        }
    }

    static Report report(byte[] mail) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail));
        MimeMultipart parts = (MimeMultipart) m.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart p = parts.getBodyPart(i);
            if (p.getContentType().startsWith("application/gzip")) {
                try (InputStream in = new GZIPInputStream(p.getInputStream())) {
                    return new Report(p.getFileName(), DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in));
                }
            }
        }
        throw new AssertionError("no application/gzip part");
    }

    private static String child(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent();
    }

    @Test
    void evaluationsAreReportedToAuthorizedAddressesWithinTheirSize() throws Exception {
        assertTrue(send("x@bulk.test", "news@quarantine.test").startsWith("250 "));
        assertEquals("550 5.7.1 Rejected by DMARC policy for strict.test", send("x@bulk.test", "Boss <boss@strict.test>"));
        assertEquals("550 5.7.1 Rejected by DMARC policy for strict.test", send("x@bulk.test", "Boss <boss@strict.test>"));
        assertTrue(send("y@strict.test", "boss@strict.test").startsWith("250 "));

        // reports come every 2 s: gather the rows of strict.test until all three messages are in
        Map<String, Long> rows = new HashMap<>();
        List<Report> strict = new ArrayList<>();
        waitFor(() -> {
            rows.clear();
            strict.clear();
            try {
                for (SinkSmtpServer.Received r : to("dmarc@reports.test")) {
                    Report rep = report(r.data());
                    strict.add(rep);
                    NodeList records = rep.xml().getElementsByTagName("record");
                    for (int i = 0; i < records.getLength(); i++) {
                        Element rec = (Element) records.item(i);
                        String key = child(rec, "source_ip") + " " + child(rec, "disposition") + " dkim="
                                + child(rec, "dkim") + " spf=" + child(rec, "spf") + " env=" + child(rec, "envelope_from")
                                + " from=" + child(rec, "header_from") + " auth-spf="
                                + child((Element) rec.getElementsByTagName("auth_results").item(0), "result");
                        rows.merge(key, Long.parseLong(child(rec, "count")), Long::sum);
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return rows.values().stream().mapToLong(Long::longValue).sum() >= 3;
        });
        assertEquals(Map.of(
                "127.0.0.1 reject dkim=fail spf=fail env=bulk.test from=strict.test auth-spf=pass", 2L,
                "127.0.0.1 none dkim=fail spf=pass env=strict.test from=strict.test auth-spf=pass", 1L), rows);
        Report first = strict.get(0);
        assertEquals("strict.test", first.text("domain"));
        assertEquals("reject", first.text("p"));
        assertEquals("s", first.text("adkim"));
        assertEquals("1", first.text("fo"));
        assertEquals("mail.example.com", first.text("org_name"));
        assertEquals("dmarc-reports@example.com", first.text("email"));
        long begin = Long.parseLong(first.text("begin"));
        long end = Long.parseLong(first.text("end"));
        assertTrue(begin <= end, begin + " " + end);
        assertEquals("mail.example.com!strict.test!" + begin + "!" + end + ".xml.gz", first.fileName());
        SinkSmtpServer.Received mail = to("dmarc@reports.test").get(0);
        assertTrue(mail.mailFrom().contains("dmarc-reports@example.com"), mail.mailFrom());
        assertTrue(mail.text().contains("Subject: Report Domain: strict.test Submitter: mail.example.com Report-ID: <"),
                mail.text());

        // quarantine.test: its own domain's address gets the report; the unauthorized and the too small one none
        waitFor(() -> !to("agg@quarantine.test").isEmpty());
        Report q = report(to("agg@quarantine.test").get(0).data());
        assertEquals("quarantine.test", q.text("domain"));
        assertEquals("quarantine", q.text("disposition"));
        assertEquals("1", q.text("count"));
        // everything queued has left the queue: nothing went to the other two addresses
        waitFor(() -> {
            try {
                return server.node().queue().list().toCompletableFuture().get(10, TimeUnit.SECONDS).isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(List.of(), to("other@unverified.test"));
        assertEquals(List.of(), to("small@reports.test"));
    }
}
