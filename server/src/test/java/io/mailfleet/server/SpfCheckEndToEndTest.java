package io.mailfleet.server;

import io.mailfleet.testkit.Wire;
import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole node with the SPF check wired from its configuration, asking a DNS server on loopback through
 * MAILFLEET_DNS_SERVER: a {@code -all} sender is refused at RCPT on port 25, a passing one is stored
 * with Received-SPF, authenticated submission and ENABLE_POLICYD_SPF=0 ask no DNS at all.
 */
class SpfCheckEndToEndTest {

    @TempDir
    Path data;
    private TestDnsServer dns;

    @BeforeEach
    void zone() throws Exception {
        dns = new TestDnsServer().txt("strict.test", "v=spf1 -all").txt("pass.test", "v=spf1 ip4:127.0.0.0/8 -all");
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    private Map<String, String> env(String enabled) throws Exception {
        var s = dns.settings(Duration.ofSeconds(2)).server();
        // loopback is trusted unless TRUSTED_NETWORKS says otherwise: the test's client plays an Internet host
        return TestServers.env(data, Map.of("ENABLE_POLICYD_SPF", enabled, "TRUSTED_NETWORKS", "192.0.2.1/32",
                "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort()));
    }

    private static void ehlo(Wire c) throws Exception {
        assertTrue(c.line().startsWith("220 "));
        c.send("EHLO client.remote.example");
        c.until("250 ");
    }

    @Test
    void aForgedSenderIsRefusedAndAPassingOneStoredWithReceivedSpf() throws Exception {
        try (MailfleetServer server = TestServers.start(env("1"), new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            try (Wire c = Wire.from(Wire.Protocol.LINES, "127.0.0.1", mx).resetIsEnd()) {
                ehlo(c);
                c.send("MAIL FROM:<x@strict.test>");
                assertEquals("250 2.1.0 Ok", c.line());
                c.send("RCPT TO:<user@example.com>");
                String refused = c.line();
                assertTrue(refused.startsWith("550 5.7.23 Message rejected due to: SPF fail - not authorized."), refused);
                c.send("RSET");
                c.line();
                c.send("MAIL FROM:<x@pass.test>");
                assertEquals("250 2.1.0 Ok", c.line());
                c.send("RCPT TO:<user@example.com>");
                assertTrue(c.line().startsWith("250 "));
                c.send("DATA");
                assertTrue(c.line().startsWith("354 "));
                c.send("Subject: spf pass\r\n\r\nhello\r\n.");
                assertTrue(c.line().startsWith("250 2.0.0 Ok: queued as "));
            }
            List<MessageMeta> inbox = SmtpDeliveryEndToEndTest.awaitInbox(server, "user@example.com", 1);
            try (InputStream in = server.blobs().open(inbox.get(0).blob())) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(text.startsWith("Received-SPF: pass (mail.example.com: domain of x@pass.test designates"
                        + " 127.0.0.1 as permitted sender)"), text);
            }
            int asked = dns.queries.get();

            // authenticated submission: not checked, no DNS question
            int submission = server.listeners().smtpPorts().get(SmtpMode.SUBMISSION);
            try (Wire c = Wire.from(Wire.Protocol.LINES, "127.0.0.1", submission).resetIsEnd()) {
                ehlo(c);
                c.send("AUTH PLAIN " + Base64.getEncoder().encodeToString(
                        "\0user@example.com\0secret".getBytes(StandardCharsets.UTF_8)));
                assertTrue(c.line().startsWith("235 "));
                c.send("MAIL FROM:<user@example.com>");
                assertEquals("250 2.1.0 Ok", c.line());
                c.send("RCPT TO:<user@example.com>");
                assertTrue(c.line().startsWith("250 "));
            }
            assertEquals(asked, dns.queries.get());
        }
    }

    @Test
    void enablePolicydSpfZeroTurnsTheCheckOff() throws Exception {
        try (MailfleetServer server = TestServers.start(env("0"), new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            try (Wire c = Wire.from(Wire.Protocol.LINES, "127.0.0.1", mx).resetIsEnd()) {
                ehlo(c);
                c.send("MAIL FROM:<x@strict.test>");
                assertEquals("250 2.1.0 Ok", c.line());
                c.send("RCPT TO:<user@example.com>");
                assertTrue(c.line().startsWith("250 "));
            }
        }
        assertEquals(0, dns.queries.get());
    }
}
