package io.mailfleet.server;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.dkim.ArcResult;
import io.mailfleet.core.dkim.ArcSealer;
import io.mailfleet.core.dkim.ArcVerifier;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimSigningKey;
import io.mailfleet.core.dkim.DkimStream;
import io.mailfleet.core.dkim.DkimVerifier;
import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dns.ResolverSettings;
import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARC on a whole node over real SMTP, keys and policies served by a DNS server on loopback, the remote MX
 * a test SMTP server: a message arriving on port 25 for an alias that forwards to a remote address leaves
 * with an ARC set sealed by the alias's domain that validates (cv=pass) and carries the results recorded on
 * arrival, as does one a Sieve script redirects there; a message whose From domain asks for p=reject and that fails DMARC after a mailing list changed
 * it is delivered when the list is a trusted sealer whose chain passes, and refused when the sealer is
 * not trusted or the chain was broken after sealing.
 */
class ArcEndToEndTest {

    @TempDir
    static Path data;
    static TestDnsServer dns;
    static SinkSmtpServer mx;
    static MailfleetServer server;
    static DkimSigningKey trustedList;
    static DkimSigningKey otherList;

    @BeforeAll
    static void start() throws Exception {
        mx = new SinkSmtpServer(InetAddress.getByName("127.0.0.2"), 0);
        KeyPair lists = DkimKeys.generateRsa(2048);
        KeyPair other = DkimKeys.generateRsa(2048);
        trustedList = new DkimSigningKey("lists.test", "arc", lists.getPrivate());
        otherList = new DkimSigningKey("other.test", "arc", other.getPrivate());
        String ours = DkimKeys.recordFromZoneFileText(DkimKeys.writeOpenDkim(data.resolve("dkim"), "example.com",
                "mail", DkimKeys.generateRsa(2048)));
        dns = new TestDnsServer()
                .txt("origin.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("bulk.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("_dmarc.strict.test", "v=DMARC1; p=reject")
                .txt("mail._domainkey.example.com", ours)
                .txt("arc._domainkey.lists.test", DkimKeys.dnsRecord(lists.getPublic()))
                .txt("arc._domainkey.other.test", DkimKeys.dnsRecord(other.getPublic()))
                .mx("far.example", 10, "mx.far.example").a("mx.far.example", "127.0.0.2");
        var s = dns.settings(Duration.ofSeconds(2)).server();
        server = TestServers.start(TestServers.env(data, Map.of(
                "ENABLE_OPENDKIM", "1", "ENABLE_POLICYD_SPF", "1", "TRUSTED_NETWORKS", "192.0.2.1/32",
                "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort(),
                "MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(mx.port()),
                "MAILFLEET_ARC_TRUSTED_SEALERS", "lists.test")),
                new FirstAccount("user@example.com", "secret", false));
        server.node().directory().apply(new DirectoryChange.AddAlias("fwd@example.com", "someone@far.example"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        waitFor(() -> server.node().directory().view().aliasTargets("fwd@example.com")
                .contains("someone@far.example"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (mx != null) {
            mx.close();
        }
        if (dns != null) {
            dns.close();
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

    /** One message over SMTP on port 25; the reply to the end of data. */
    private static String send(String mailFrom, String rcpt, String message) throws Exception {
        int port = server.listeners().smtpPorts().get(SmtpMode.MX);
        try (Wire c = Wire.from(Wire.Protocol.LINES, "127.0.0.1", port).resetIsEnd()) {
            assertTrue(c.line().startsWith("220 "));
            c.send("EHLO client.remote.example");
            c.until("250 ");
            c.send("MAIL FROM:<" + mailFrom + ">");
            assertEquals("250 2.1.0 Ok", c.line());
            c.send("RCPT TO:<" + rcpt + ">");
            assertTrue(c.line().startsWith("250 "));
            c.send("DATA");
            assertTrue(c.line().startsWith("354 "));
            c.send(message + ".");
            return c.line();
        }
    }

    private static String message(String from, String to, String subject) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject
                + "\r\nDate: Mon, 7 Dec 2026 03:00:00 +0000\r\nMessage-ID: <" + subject.replace(' ', '.')
                + "@origin.test>\r\n\r\nHello " + subject + ".\r\n";
    }

    private static ArcResult validate(String message) {
        var settings = dns.settings(Duration.ofSeconds(2));
        DkimVerifier v = DkimVerifier.using(new AsyncDnsResolver(ResolverSettings.of(settings.server(),
                settings.timeout()))::txt, Clock.systemUTC());
        DkimStream s = v.stream(5, 1 << 20);
        byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
        s.feed(b, 0, b.length);
        return new ArcVerifier(v).verify(s.finish()).toCompletableFuture().join();
    }

    /** {@code message} as a list at {@code key}'s domain forwards it: results recorded, sealed, footer added. */
    private static String listForwards(DkimSigningKey key, String message) throws Exception {
        String withResults = "Authentication-Results: " + key.domain()
                + "; spf=pass smtp.mailfrom=boss@strict.test;\r\n\tdmarc=pass header.from=strict.test\r\n" + message;
        String set = new ArcSealer(key, Clock.systemUTC()).seal(new ByteArrayInputStream(
                withResults.getBytes(StandardCharsets.ISO_8859_1)), key.domain()).orElseThrow();
        return set + withResults;
    }

    private static String inboxMessage(String subject) throws Exception {
        String[] found = new String[1];
        waitFor(() -> {
            try {
                for (MessageMeta m : server.node().mailboxes().messages("user@example.com", "INBOX")
                        .toCompletableFuture().get(10, TimeUnit.SECONDS)) {
                    try (InputStream in = server.blobs().open(m.blob())) {
                        String t = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                        if (t.contains("Subject: " + subject + "\r\n")) {
                            found[0] = t;
                            return true;
                        }
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        });
        return found[0];
    }

    @Test
    void mailForwardedThroughAnAliasLeavesWithAValidArcSet() throws Exception {
        assertTrue(send("alice@origin.test", "fwd@example.com",
                message("Alice <alice@origin.test>", "fwd@example.com", "forwarded arc")).startsWith("250 "));
        waitFor(() -> mx.received.stream().anyMatch(r -> r.text().contains("Subject: forwarded arc")));
        String sent = mx.received.stream().filter(r -> r.text().contains("Subject: forwarded arc")).findFirst()
                .orElseThrow().text();
        assertTrue(sent.startsWith("ARC-Seal: i=1; a=rsa-sha256; cv=none;\r\n\td=example.com; s=mail;"), sent);
        assertTrue(sent.contains("ARC-Authentication-Results: i=1; mail.example.com;\r\n\tspf=pass"
                + " smtp.mailfrom=alice@origin.test"), sent);
        assertTrue(sent.contains("\tarc=none (no ARC sets) smtp.remote-ip=127.0.0.1"), sent);
        ArcResult r = validate(sent);
        assertEquals(ArcResult.Status.PASS, r.status(), r.detail());
        assertEquals("example.com", r.sets().get(0).sealer());
    }

    @Test
    void mailRedirectedBySieveLeavesWithAValidArcSet() throws Exception {
        server.node().sieveScripts().put("user@example.com", "main",
                "if header :contains \"subject\" \"redirect me\" {\n  redirect \"someone@far.example\";\n}\n")
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        server.node().sieveScripts().setActive("user@example.com", "main").toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertTrue(send("alice@origin.test", "user@example.com",
                message("Alice <alice@origin.test>", "user@example.com", "redirect me")).startsWith("250 "));
        waitFor(() -> mx.received.stream().anyMatch(r -> r.text().contains("Subject: redirect me")));
        String sent = mx.received.stream().filter(r -> r.text().contains("Subject: redirect me")).findFirst()
                .orElseThrow().text();
        assertTrue(sent.startsWith("ARC-Seal: i=1; a=rsa-sha256; cv=none;\r\n\td=example.com; s=mail;"), sent);
        assertTrue(sent.contains("X-Sieve-Redirected-From: <user@example.com>"), sent);
        ArcResult r = validate(sent);
        assertEquals(ArcResult.Status.PASS, r.status(), r.detail());
    }

    @Test
    void aDmarcFailureSealedByATrustedListIsDelivered() throws Exception {
        // SPF passes for the list's own domain only and nothing is DKIM-signed: DMARC fails for strict.test
        String sealed = listForwards(trustedList, message("Boss <boss@strict.test>", "user@example.com",
                "trusted list"));
        String listed = sealed.replace("Hello trusted list.\r\n", "Hello trusted list.\r\n-- \r\nadded later\r\n");
        assertEquals(ArcResult.Status.FAIL, validate(listed).status(), "a body changed after sealing");
        assertTrue(send("list@bulk.test", "user@example.com", sealed).startsWith("250 "));
        String stored = inboxMessage("trusted list");
        assertTrue(stored.contains("\tdmarc=fail (p=reject dis=none; arc=pass, trusted sealer lists.test overrides"
                + " the policy;"), stored);
        assertTrue(stored.contains("\tarc=pass (1 ARC set, newest sealed by lists.test) header.oldest-pass=0"
                + " smtp.remote-ip=127.0.0.1\r\n"), stored);

        assertEquals("550 5.7.1 Rejected by DMARC policy for strict.test", send("list@bulk.test", "user@example.com",
                listed), "a broken chain overrides nothing");
        assertEquals("550 5.7.1 Rejected by DMARC policy for strict.test", send("list@bulk.test", "user@example.com",
                listForwards(otherList, message("Boss <boss@strict.test>", "user@example.com", "other list"))),
                "a sealer that is not trusted overrides nothing");
    }
}
