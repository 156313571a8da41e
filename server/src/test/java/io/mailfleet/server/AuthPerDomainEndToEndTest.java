package io.mailfleet.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.inbound.AuthenticationCounters;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-domain inbound authentication settings on one node: example.com keeps the node's SPF reject and
 * DMARC enforcement, example.org ({@code mailfleet.auth.domains."example.org"}) tags both. The same
 * failing mail is refused for one recipient domain and delivered to the other; the delivered message's
 * queue log line carries its spf=, dkim= and dmarc= results, and the metrics count the results per
 * mechanism, SPF refusals at RCPT included.
 */
class AuthPerDomainEndToEndTest {

    @TempDir
    Path data;

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(50);
        }
    }

    private static Wire open(int port, String mailFrom) throws Exception {
        Wire c = Wire.from(Wire.Protocol.LINES, "127.0.0.1", port).resetIsEnd();
        assertTrue(c.line().startsWith("220 "));
        c.send("EHLO client.remote.example");
        c.until("250 ");
        c.send("MAIL FROM:<" + mailFrom + ">");
        assertEquals("250 2.1.0 Ok", c.line());
        return c;
    }

    private static String rcpt(Wire c, String to) throws Exception {
        c.send("RCPT TO:<" + to + ">");
        return c.line();
    }

    private static String data(Wire c, String from, String subject) throws Exception {
        c.send("DATA");
        assertTrue(c.line().startsWith("354 "));
        c.send("From: " + from + "\r\nSubject: " + subject + "\r\n\r\nhello\r\n.");
        return c.line();
    }

    private static String text(MailfleetServer server, io.mailfleet.cluster.mailbox.MessageMeta m) throws Exception {
        try (InputStream in = server.blobs().open(m.blob())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void twoRecipientDomainsGetDifferentDecisionsForTheSameFailingMail() throws Exception {
        Path conf = data.resolve("mailfleet.conf");
        Files.writeString(conf, "mailfleet.auth.domains {\n  \"example.org\" { spf-action = tag, "
                + "dmarc-failure-action = tag }\n}\n");
        Logger deliveryLogger = (Logger) LoggerFactory.getLogger("io.mailfleet.delivery");
        Level previous = deliveryLogger.getLevel();
        deliveryLogger.setLevel(Level.INFO);
        ListAppender<ILoggingEvent> deliveryLog = new ListAppender<>();
        deliveryLog.start();
        deliveryLogger.addAppender(deliveryLog);
        try (TestDnsServer dns = new TestDnsServer()
                .txt("spffail.test", "v=spf1 -all")
                .txt("bulk.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("_dmarc.strict.test", "v=DMARC1; p=reject")) {
            var s = dns.settings(Duration.ofSeconds(2)).server();
            Map<String, String> env = TestServers.env(data.resolve("node"), Map.of(
                    "MAILFLEET_CONFIG", conf.toString(),
                    "ENABLE_OPENDKIM", "1", "ENABLE_POLICYD_SPF", "1", "TRUSTED_NETWORKS", "192.0.2.1/32",
                    "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort()));
            try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
                server.node().directory().apply(new DirectoryChange.AddAccount("user@example.org",
                        PasswordSchemes.hash("secret"))).toCompletableFuture().get(20, TimeUnit.SECONDS);
                waitFor(() -> server.node().lookups().view().isLocalDomain("example.org"));
                int mx = server.listeners().smtpPorts().get(SmtpMode.MX);

                // SPF fail: refused at example.com's RCPT (the node's reject), accepted for example.org (tag)
                try (Wire c = open(mx, "x@spffail.test")) {
                    assertTrue(rcpt(c, "user@example.com").startsWith("550 5.7.23 Message rejected due to: SPF fail"));
                    assertTrue(rcpt(c, "user@example.org").startsWith("250 "));
                    assertTrue(data(c, "x@spffail.test", "spf tagged").startsWith("250 "));
                }
                try (Wire c = open(mx, "x@spffail.test")) {
                    assertTrue(rcpt(c, "user@example.com").startsWith("550 5.7.23 "));
                }
                // DMARC p=reject failure: refused for example.com (enforce), delivered to example.org (tag)
                try (Wire c = open(mx, "x@bulk.test")) {
                    assertTrue(rcpt(c, "user@example.com").startsWith("250 "));
                    assertEquals("550 5.7.1 Rejected by DMARC policy for strict.test",
                            data(c, "Boss <boss@strict.test>", "dmarc enforced"));
                }
                try (Wire c = open(mx, "x@bulk.test")) {
                    assertTrue(rcpt(c, "user@example.org").startsWith("250 "));
                    assertTrue(data(c, "Boss <boss@strict.test>", "dmarc tagged").startsWith("250 "));
                }

                List<io.mailfleet.cluster.mailbox.MessageMeta> inbox =
                        SmtpDeliveryEndToEndTest.awaitInbox(server, "user@example.org", 2);
                StringBuilder all = new StringBuilder();
                for (var m : inbox) {
                    all.append(text(server, m));
                }
                assertTrue(all.toString().contains("\tdmarc=fail (p=reject dis=none; no aligned SPF or DKIM pass)"
                        + " header.from=strict.test;"), all.toString());
                assertTrue(all.toString().contains("Received-SPF: fail "), all.toString());

                // the queue's delivery log lines carry the results
                waitFor(() -> deliveryLog.list.stream().filter(e -> e.getFormattedMessage().contains("status=sent"))
                        .count() >= 2);
                List<String> sent = deliveryLog.list.stream().map(ILoggingEvent::getFormattedMessage)
                        .filter(l -> l.contains("status=sent") && l.contains("to=<user@example.org>")).toList();
                assertTrue(sent.stream().anyMatch(l -> l.startsWith("queue=") && l.contains("from=<x@bulk.test>")
                        && l.endsWith("\" spf=pass dkim=none dmarc=fail arc=none")), sent.toString());
                assertTrue(sent.stream().anyMatch(l -> l.contains("from=<x@spffail.test>")
                        && l.endsWith("\" spf=fail dkim=none dmarc=none arc=none")), sent.toString());

                // results per mechanism: SPF once per checked transaction (the one refused at RCPT too)
                assertEquals(Map.of("spf=fail", 2L, "spf=pass", 2L, "dkim=none", 3L, "dmarc=none", 1L,
                        "dmarc=fail", 2L, "arc=none", 3L), AuthenticationCounters.get(server.system()).snapshot());
                String token = Files.readString(Path.of(env.get("MAILFLEET_DATA")).resolve("api-token")).strip();
                HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT") + "/api/v1/metrics"))
                        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.body().contains("mailfleet_authentication_results_total{result=\"spf=fail\"} 2.0\n"),
                        metrics.body());
                assertTrue(metrics.body().contains("mailfleet_authentication_results_total{result=\"dmarc=fail\"} 2.0\n"),
                        metrics.body());
            }
        } finally {
            deliveryLogger.detachAppender(deliveryLog);
            deliveryLogger.setLevel(previous);
        }
    }
}
