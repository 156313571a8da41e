package io.mailfleet.protocols.smtp;

import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 8601 section 5: Authentication-Results fields claiming this server's authserv-id (its host name)
 * are removed from the header section as the message is stored, folded lines included, whatever the
 * case, a trailing dot, a leading comment or a version; other hosts' fields, look-alike names and the
 * body stay. No check needs to be configured: it is the session's own header handling.
 */
class ForgedAuthenticationResultsTest {

    @TempDir
    static Path dir;
    static SmtpFixture fx;
    static SmtpServer mx;

    @BeforeAll
    static void start() throws Exception {
        fx = new SmtpFixture(dir, true);
        mx = fx.start(SmtpFixture.settings(SmtpMode.MX));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void ourAuthservIdIsRemovedOthersStay() throws Exception {
        String header = "Authentication-Results: mail.example.com; dkim=pass header.d=bank.example\r\n"
                + "Authentication-Results: MAIL.Example.COM.; spf=pass\r\n"
                + "Authentication-Results: (by us) mail.example.com 1;\r\n\tdmarc=pass\r\n\theader.from=bank.example\r\n"
                + "Authentication-Results:\r\n mail.example.com; dkim=pass\r\n"
                + "Authentication-Results: relay.example.net; dkim=pass header.d=other.example\r\n"
                + "Authentication-Results: mail.example.com.evil.example; spf=pass\r\n"
                + "X-Authentication-Results: mail.example.com; spf=pass\r\n"
                + "Subject: planted\r\n";
        String body = "Authentication-Results: mail.example.com; body text stays\r\n";
        try (Wire c = Wire.smtp(mx.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org");
            c.until("250 ");
            c.send("MAIL FROM:<sender@example.org>").expect("250 ");
            c.send("RCPT TO:<alice@example.com>").expect("250 ");
            c.send("DATA").expect("354 ");
            c.write(header + "\r\n" + body + ".\r\n");
            c.expect("250 2.0.0 Ok: queued as ");
        }
        String stored = fx.content(fx.queue.entries.get(0).blob());
        String afterReceived = stored.substring(stored.indexOf("\r\nAuthentication-Results: relay") + 2);
        assertEquals("Authentication-Results: relay.example.net; dkim=pass header.d=other.example\r\n"
                + "Authentication-Results: mail.example.com.evil.example; spf=pass\r\n"
                + "X-Authentication-Results: mail.example.com; spf=pass\r\n"
                + "Subject: planted\r\n\r\n" + body, afterReceived);
        assertEquals(-1, stored.indexOf("bank.example"), stored);
    }
}
