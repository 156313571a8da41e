package io.mailfleet.server;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Greylisting and mail authentication on a whole node, over real SMTP from an Internet client
 * (127.0.0.1 with TRUSTED_NETWORKS elsewhere), SPF records and DKIM keys served by a DNS server on
 * loopback: a known-good sender's DKIM-signed mail skips greylisting (accepted at RCPT, decided at the
 * end of data), its unsigned or tampered mail gets 451 4.7.1 instead of the 250 and its retry after the
 * delay passes, a sender outside the list is greylisted at RCPT; and an SPF-failing sender's passed
 * retries never auto-whitelist the client.
 */
class GreylistAuthenticationEndToEndTest {

    private static final String DEFERRED = "451 4.7.1 Delayed by Postgrey";
    private static final Duration DELAY = Duration.ofSeconds(4);

    @TempDir
    Path data;
    private TestDnsServer dns;
    private DkimSigner signer;

    @BeforeEach
    void zone() throws Exception {
        KeyPair pair = DkimKeys.generateRsa(2048);
        signer = new DkimSigner(new DkimSigningKey("signer.test", "mail", pair.getPrivate()), Clock.systemUTC());
        KeyPair other = DkimKeys.generateRsa(2048);
        dns = new TestDnsServer().txt("signer.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("mail._domainkey.signer.test", DkimKeys.dnsRecord(pair.getPublic()))
                .txt("other.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("forged.test", "v=spf1 ip4:192.0.2.0/24 -all");
        // a key of another domain: a signature by it does not vouch for signer.test
        dns.txt("mail._domainkey.other.test", DkimKeys.dnsRecord(other.getPublic()));
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    private Map<String, String> env(Map<String, String> more) throws Exception {
        var s = dns.settings(Duration.ofSeconds(2)).server();
        Map<String, String> e = new HashMap<>(Map.of("ENABLE_OPENDKIM", "1", "ENABLE_POLICYD_SPF", "1",
                "TRUSTED_NETWORKS", "192.0.2.1/32", "ENABLE_POSTGREY", "1",
                "POSTGREY_DELAY", String.valueOf(DELAY.toSeconds()),
                "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort()));
        e.putAll(more);
        return TestServers.env(data, e);
    }

    private String signed(String subject) throws Exception {
        String message = "From: Sender <x@signer.test>\r\nTo: user@example.com\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '-') + "@signer.test>\r\n\r\nHello.\r\n";
        String field = signer.sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        return field + message;
    }

    /** One transaction: the RCPT reply, and the reply to the end of data when the RCPT was accepted. */
    private static String[] send(int port, String from, String to, String message) throws Exception {
        try (Wire c = Wire.from(Wire.Protocol.LINES, "127.0.0.1", port).resetIsEnd()) {
            assertTrue(c.line().startsWith("220 "));
            c.send("EHLO client.remote.example");
            c.until("250 ");
            c.send("MAIL FROM:<" + from + ">");
            assertEquals("250 2.1.0 Ok", c.line());
            c.send("RCPT TO:<" + to + ">");
            String rcpt = c.line();
            if (!rcpt.startsWith("250 ")) {
                c.send("QUIT");
                return new String[]{rcpt, null};
            }
            c.send("DATA");
            assertTrue(c.line().startsWith("354 "));
            c.send(message.endsWith("\r\n") ? message + "." : message + "\r\n.");
            String end = c.line();
            c.send("QUIT");
            return new String[]{rcpt, end};
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    @Test
    void aKnownGoodSendersDkimSignedMailSkipsGreylistingAndItsUnsignedMailIsGreylistedAtTheEndOfData() throws Exception {
        try (MailfleetServer server = TestServers.start(env(Map.of("MAILFLEET_GREYLIST_DKIM_DOMAINS", "signer.test")),
                new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);

            String[] good = send(mx, "x@signer.test", "user@example.com", signed("signed mail"));
            assertEquals("250 2.1.5 Ok", good[0], "a known-good sender is accepted at RCPT");
            assertTrue(good[1].startsWith("250 2.0.0 Ok: queued as "), "and its signed mail at the end: " + good[1]);

            String[] unsigned = send(mx, "x@signer.test", "user@example.com",
                    "From: x@signer.test\r\nSubject: unsigned\r\n\r\nhi\r\n");
            assertEquals("250 2.1.5 Ok", unsigned[0], "provisionally accepted at RCPT");
            assertEquals(DEFERRED, unsigned[1], "no DKIM signature: greylisted before the 250");

            String[] tampered = send(mx, "x@signer.test", "user+tampered@example.com",
                    signed("tampered").replace("Hello.", "Pay 9999 EUR."));
            assertEquals("250 2.1.5 Ok", tampered[0]);
            assertEquals(DEFERRED, tampered[1], "a signature that fails does not vouch");

            String[] outsider = send(mx, "y@other.test", "user@example.com", "Subject: x\r\n\r\nhi\r\n");
            assertEquals(DEFERRED, outsider[0], "a sender outside the list is greylisted at RCPT");

            sleep(DELAY.plusSeconds(1));
            String[] retry = send(mx, "x@signer.test", "user@example.com",
                    "From: x@signer.test\r\nSubject: unsigned again\r\n\r\nhi\r\n");
            assertEquals("250 2.1.5 Ok", retry[0]);
            assertTrue(retry[1].startsWith("250 2.0.0 Ok: queued as "),
                    "the greylisting at the end of data was remembered: the retry after the delay passes: " + retry[1]);
            SmtpDeliveryEndToEndTest.awaitInbox(server, "user@example.com", 2);
        }
    }

    @Test
    void anSpfFailingSendersPassedRetriesDoNotAutoWhitelistTheClient() throws Exception {
        try (MailfleetServer server = TestServers.start(env(Map.of("MAILFLEET_SPF_FAIL_ACTION", "tag",
                        "POSTGREY_AUTO_WHITELIST_CLIENTS", "1")),
                new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            String message = "Subject: x\r\n\r\nhi\r\n";

            assertEquals(DEFERRED, send(mx, "a@forged.test", "user@example.com", message)[0], "SPF fail, first attempt");
            sleep(DELAY.plusSeconds(1));
            String[] passed = send(mx, "a@forged.test", "user@example.com", message);
            assertEquals("250 2.1.5 Ok", passed[0], "its retry after the delay passes as any other");
            assertTrue(passed[1].startsWith("250 2.0.0 Ok: queued as "), passed[1]);
            assertEquals(DEFERRED, send(mx, "b@other.test", "user@example.com", message)[0],
                    "one passed retry whitelists after 1, but an SPF-failing one does not count");

            sleep(DELAY.plusSeconds(1));
            assertEquals("250 2.1.5 Ok", send(mx, "b@other.test", "user@example.com", message)[0],
                    "an SPF-passing sender's retry counts");
            assertEquals("250 2.1.5 Ok", send(mx, "c@other.test", "user@example.com", message)[0],
                    "now the client network is auto-whitelisted");
            assertEquals(DEFERRED, send(mx, "z@forged.test", "user@example.com", message)[0],
                    "but not for an SPF-failing sender");
        }
    }
}
