package io.mailfleet.server;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimSigner;
import io.mailfleet.core.dkim.DkimSigningKey;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DMARC on a whole node, policies served by a DNS server on loopback. The client (127.0.0.1, untrusted)
 * passes SPF for bulk.test but writes other From domains: p=reject is refused with 550 5.7.1 at the end
 * of DATA, p=quarantine lands in Junk marked as spam, an aligned DKIM signature passes, a subdomain gets
 * the organizational domain's sp=, a non-existent one its np=, and failure-action = tag only reports.
 */
class DmarcEndToEndTest {

    @TempDir
    Path data;
    private TestDnsServer dns;
    private DkimSigner signer;

    @BeforeEach
    void zone() throws Exception {
        KeyPair pair = DkimKeys.generateRsa(2048);
        signer = new DkimSigner(new DkimSigningKey("strict.test", "mail", pair.getPrivate()), Clock.systemUTC());
        dns = new TestDnsServer().txt("bulk.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("_dmarc.strict.test", "v=DMARC1; p=reject; sp=none; np=reject; rua=mailto:d@strict.test")
                .txt("mail._domainkey.strict.test", DkimKeys.dnsRecord(pair.getPublic()))
                .a("sub.strict.test", "192.0.2.7")
                .txt("_dmarc.quarantine.test", "v=DMARC1; p=quarantine")
                .txt("_dmarc.bulk.test", "v=DMARC1; p=reject; aspf=r");
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    private Map<String, String> env(String action) {
        var s = dns.settings(Duration.ofSeconds(2)).server();
        Map<String, String> extra = new HashMap<>(Map.of("ENABLE_OPENDKIM", "1", "ENABLE_POLICYD_SPF", "1",
                "TRUSTED_NETWORKS", "192.0.2.1/32",
                "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort()));
        if (action != null) {
            extra.put("MAILFLEET_DMARC_FAILURE_ACTION", action);
        }
        try {
            return TestServers.env(data, extra);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends one message from MAIL FROM x@bulk.test; the reply to the end of data. */
    private static String send(int port, String message) throws Exception {
        try (Wire c = Wire.from(Wire.Protocol.LINES, "127.0.0.1", port).resetIsEnd()) {
            assertTrue(c.line().startsWith("220 "));
            c.send("EHLO client.remote.example");
            c.until("250 ");
            c.send("MAIL FROM:<x@bulk.test>");
            assertEquals("250 2.1.0 Ok", c.line());
            c.send("RCPT TO:<user@example.com>");
            assertTrue(c.line().startsWith("250 "));
            c.send("DATA");
            assertTrue(c.line().startsWith("354 "));
            c.send(message + ".");
            return c.line();
        }
    }

    private static String message(String from, String subject) {
        return "From: " + from + "\r\nTo: user@example.com\r\nSubject: " + subject + "\r\n\r\nhello\r\n";
    }

    private static List<MessageMeta> await(MailfleetServer server, String folder, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<MessageMeta> got = List.of();
        while (System.nanoTime() < deadline) {
            try {
                got = server.node().mailboxes().messages("user@example.com", folder).toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                got = List.of(); // the folder does not exist yet
            }
            if (got.size() >= count) {
                return got;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " messages in " + folder + ", found " + got.size());
    }

    private static String text(MailfleetServer server, MessageMeta m) throws Exception {
        try (InputStream in = server.blobs().open(m.blob())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String bySubject(MailfleetServer server, List<MessageMeta> box, String subject) throws Exception {
        for (MessageMeta m : box) {
            String t = text(server, m);
            if (t.contains("Subject: " + subject + "\r\n")) {
                return t;
            }
        }
        throw new AssertionError("no message " + subject);
    }

    @Test
    void policiesAreEnforcedAtTheEndOfData() throws Exception {
        try (MailfleetServer server = TestServers.start(env(null), new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            assertEquals("550 5.7.1 Rejected by DMARC policy for strict.test",
                    send(mx, message("Boss <boss@strict.test>", "forged")));
            assertTrue(send(mx, message("news@quarantine.test", "quarantined")).startsWith("250 "));
            String plain = message("Boss <boss@strict.test>", "aligned dkim");
            String field = signer.sign(new ByteArrayInputStream(plain.getBytes(StandardCharsets.UTF_8)));
            assertTrue(send(mx, field + plain).startsWith("250 "));
            assertTrue(send(mx, message("a@sub.strict.test", "subdomain")).startsWith("250 "));
            assertEquals("550 5.7.1 Rejected by DMARC policy for gone.strict.test",
                    send(mx, message("a@gone.strict.test", "nonexistent")));
            assertTrue(send(mx, message("\"Bulk\" <list@bulk.test>", "aligned spf")).startsWith("250 "));

            List<MessageMeta> inbox = await(server, "INBOX", 3);
            assertTrue(bySubject(server, inbox, "aligned dkim").contains(
                    "\tdmarc=pass (p=reject dis=none; DKIM aligned \\(strict.test\\)) header.from=strict.test;\r\n\tarc=none (no ARC sets) smtp.remote-ip=127.0.0.1\r\n"));
            assertTrue(bySubject(server, inbox, "subdomain").contains(
                    "\tdmarc=fail (p=none dis=none; no aligned SPF or DKIM pass) header.from=sub.strict.test;\r\n\tarc=none (no ARC sets) smtp.remote-ip=127.0.0.1\r\n"));
            assertTrue(bySubject(server, inbox, "aligned spf").contains(
                    "\tdmarc=pass (p=reject dis=none; SPF aligned \\(bulk.test\\)) header.from=bulk.test;\r\n\tarc=none (no ARC sets) smtp.remote-ip=127.0.0.1\r\n"));
            String junk = text(server, await(server, "Junk", 1).get(0));
            assertTrue(junk.contains("\tdmarc=fail (p=quarantine dis=quarantine; no aligned SPF or DKIM pass)"
                    + " header.from=quarantine.test;\r\n\tarc=none (no ARC sets) smtp.remote-ip=127.0.0.1\r\nX-Spam-Flag: YES\r\n"), junk);
            assertEquals(3, await(server, "INBOX", 3).size());
        }
    }

    @Test
    void tagOnlyReportsAndDeliversTheFailure() throws Exception {
        try (MailfleetServer server = TestServers.start(env("tag"), new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            assertTrue(send(mx, message("boss@strict.test", "tagged")).startsWith("250 "));
            String t = text(server, await(server, "INBOX", 1).get(0));
            assertTrue(t.contains("\tdmarc=fail (p=reject dis=none; no aligned SPF or DKIM pass) header.from=strict.test;\r\n\tarc=none (no ARC sets) smtp.remote-ip=127.0.0.1\r\n"),
                    t);
            assertTrue(!t.contains("X-Spam-Flag"), t);
        }
    }
}
