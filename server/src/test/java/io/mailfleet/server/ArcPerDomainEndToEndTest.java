package io.mailfleet.server;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.dkim.ArcSealer;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimSigningKey;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trusted ARC sealers per recipient domain: the node trusts lists.test, example.org
 * ({@code mailfleet.auth.domains."example.org".arc-trusted-sealers}) trusts other.test instead. A p=reject
 * DMARC failure sealed by other.test is delivered to example.org and refused for example.com; one sealed
 * by lists.test the other way round.
 */
class ArcPerDomainEndToEndTest {

    @TempDir
    Path data;

    /** One message over SMTP on port 25; the reply to the end of data. */
    private static String send(int port, String rcpt, String message) throws Exception {
        try (Wire c = Wire.from(Wire.Protocol.LINES, "127.0.0.1", port).resetIsEnd()) {
            assertTrue(c.line().startsWith("220 "));
            c.send("EHLO client.remote.example");
            c.until("250 ");
            c.send("MAIL FROM:<list@bulk.test>");
            assertEquals("250 2.1.0 Ok", c.line());
            c.send("RCPT TO:<" + rcpt + ">");
            assertTrue(c.line().startsWith("250 "));
            c.send("DATA");
            assertTrue(c.line().startsWith("354 "));
            c.send(message + ".");
            return c.line();
        }
    }

    /** A message from strict.test to {@code to} as a list at {@code key}'s domain forwards it: results recorded, sealed. */
    private static String sealedBy(DkimSigningKey key, String to, String subject) throws Exception {
        String message = "From: Boss <boss@strict.test>\r\nTo: " + to + "\r\nSubject: " + subject
                + "\r\nDate: Mon, 7 Dec 2026 03:00:00 +0000\r\nMessage-ID: <" + subject.replace(' ', '.')
                + "@origin.test>\r\n\r\nHello " + subject + ".\r\n";
        String withResults = "Authentication-Results: " + key.domain()
                + "; spf=pass smtp.mailfrom=boss@strict.test;\r\n\tdmarc=pass header.from=strict.test\r\n" + message;
        return new ArcSealer(key, Clock.systemUTC()).seal(new ByteArrayInputStream(
                withResults.getBytes(StandardCharsets.ISO_8859_1)), key.domain()).orElseThrow() + withResults;
    }

    @Test
    void eachRecipientDomainTakesTheWordOfItsOwnSealers() throws Exception {
        KeyPair lists = DkimKeys.generateRsa(2048);
        KeyPair other = DkimKeys.generateRsa(2048);
        DkimSigningKey listsKey = new DkimSigningKey("lists.test", "arc", lists.getPrivate());
        DkimSigningKey otherKey = new DkimSigningKey("other.test", "arc", other.getPrivate());
        Path conf = data.resolve("mailfleet.conf");
        Files.writeString(conf, "mailfleet.auth.domains.\"example.org\".arc-trusted-sealers = [\"other.test\"]\n");
        try (TestDnsServer dns = new TestDnsServer()
                .txt("bulk.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("_dmarc.strict.test", "v=DMARC1; p=reject")
                .txt("arc._domainkey.lists.test", DkimKeys.dnsRecord(lists.getPublic()))
                .txt("arc._domainkey.other.test", DkimKeys.dnsRecord(other.getPublic()))) {
            var s = dns.settings(Duration.ofSeconds(2)).server();
            try (MailfleetServer server = TestServers.start(TestServers.env(data.resolve("node"), Map.of(
                            "MAILFLEET_CONFIG", conf.toString(),
                            "ENABLE_OPENDKIM", "1", "ENABLE_POLICYD_SPF", "1", "TRUSTED_NETWORKS", "192.0.2.1/32",
                            "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort(),
                            "MAILFLEET_ARC_TRUSTED_SEALERS", "lists.test")),
                    new FirstAccount("user@example.com", "secret", false))) {
                server.node().directory().apply(new DirectoryChange.AddAccount("user@example.org",
                        PasswordSchemes.hash("secret"))).toCompletableFuture().get(20, TimeUnit.SECONDS);
                ArcEndToEndTest.waitFor(() -> server.node().lookups().view().isLocalDomain("example.org"));
                int mx = server.listeners().smtpPorts().get(SmtpMode.MX);

                assertTrue(send(mx, "user@example.org", sealedBy(otherKey, "user@example.org", "other to org"))
                        .startsWith("250 "));
                assertEquals("550 5.7.1 Rejected by DMARC policy for strict.test", send(mx, "user@example.com",
                        sealedBy(otherKey, "user@example.com", "other to com")));
                assertTrue(send(mx, "user@example.com", sealedBy(listsKey, "user@example.com", "lists to com"))
                        .startsWith("250 "));
                assertEquals("550 5.7.1 Rejected by DMARC policy for strict.test", send(mx, "user@example.org",
                        sealedBy(listsKey, "user@example.org", "lists to org")));
            }
        }
    }
}
