package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Raw scripted sessions against port-25 (MX) behaviour: commands, pipelining, limits, DATA/BDAT framing. */
class SmtpProtocolTest {

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

    @BeforeEach
    void clear() {
        fx.queue.entries.clear();
        fx.queue.failing = false;
    }

    private Wire connect(SmtpServer s) throws Exception {
        Wire c = Wire.smtp(s.port());
        c.expect("220 " + SmtpFixture.HOST + " ESMTP");
        return c;
    }

    @Test
    void ehloOnPort25OffersStartTlsButNoAuthDsnOrSmtputf8() throws Exception {
        try (Wire c = connect(mx)) {
            String ehlo = c.send("EHLO client.example.org").expect("250-" + SmtpFixture.HOST);
            assertTrue(ehlo.contains("250-PIPELINING"));
            assertTrue(ehlo.contains("250-SIZE 10240000"));
            assertTrue(ehlo.contains("250-STARTTLS"));
            assertTrue(ehlo.contains("250-ENHANCEDSTATUSCODES"));
            assertTrue(ehlo.contains("250-8BITMIME"));
            assertTrue(ehlo.contains("250 CHUNKING"));
            assertFalse(ehlo.contains("AUTH"));
            assertFalse(ehlo.contains("DSN"));
            assertFalse(ehlo.contains("SMTPUTF8"));
            c.send("AUTH PLAIN AGFsaWNlQGV4YW1wbGUuY29tAHNlY3JldA==").expect("503 5.5.1 Error: authentication not enabled");
            c.send("VRFY alice@example.com").expect("502 5.5.1 VRFY command is disabled");
            c.send("EXPN staff").expect("502 5.5.1");
            c.send("HELP").expect("214 2.0.0");
            c.send("NOOP").expect("250 2.0.0 Ok");
            c.send("FOO").expect("502 5.5.2 Error: command not recognized");
            c.send("MAIL FROM:<a@example.org> SMTPUTF8").expect("555 5.5.4 Unsupported option: SMTPUTF8");
            c.send("MAIL FROM:<a@example.org> RET=HDRS").expect("555 5.5.4 Unsupported option: RET");
            c.send("MAIL FROM:<a@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com> NOTIFY=SUCCESS").expect("555 5.5.4 Unsupported option: NOTIFY");
            c.send("RSET").expect("250 2.0.0 Ok");
            c.send("QUIT").expect("221 2.0.0");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void heloValidationAndOrder() throws Exception {
        try (Wire c = connect(mx)) {
            c.send("MAIL FROM:<a@example.org>").expect("503 5.5.1 Error: send HELO/EHLO first");
            c.send("EHLO").expect("501 5.5.4");
            c.send("EHLO bad_host!name").expect("501 5.5.2 <bad_host!name>: Helo command rejected: Invalid name");
            c.send("HELO [192.0.2.1]").expect("250 " + SmtpFixture.HOST);
            c.send("RCPT TO:<alice@example.com>").expect("503 5.5.1 Error: need MAIL command");
            c.send("MAIL FROM:<a@example.org>").expect("250 2.1.0");
            c.send("MAIL FROM:<a@example.org>").expect("503 5.5.1 Error: nested MAIL command");
            c.send("DATA").expect("554 5.5.1 Error: no valid recipients");
            c.send("MAIL FROM:a@example.org").expect("503 5.5.1");
            c.send("EHLO laptop").expect("250-");
            c.send("MAIL FROM:<a@example.org>").expect("250 2.1.0");
            c.send("RCPT TO:<alice@example.com>").expect("504 5.5.2 <laptop>: Helo command rejected: need fully-qualified hostname");
        }
    }

    @Test
    void deliversWithReceivedHeaderAndOrderedPipelinedReplies() throws Exception {
        try (Wire c = connect(mx)) {
            c.send("EHLO client.example.org").expect("250-");
            c.write("MAIL FROM:<sender@example.org> BODY=8BITMIME\r\nRCPT TO:<nobody@example.com>\r\n"
                    + "RCPT TO:<alice@example.com>\r\nRCPT TO:<Sales@Example.COM>\r\nDATA\r\n");
            c.expect("250 2.1.0 Ok");
            c.expect("550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table");
            c.expect("250 2.1.5 Ok");
            c.expect("250 2.1.5 Ok");
            c.expect("354 ");
            c.write("Subject: hi\r\n\r\n..leading dot\r\nbody\r\n.\r\nNOOP\r\n");
            String queued = c.expect("250 2.0.0 Ok: queued as Q");
            c.expect("250 2.0.0 Ok");
            var e = fx.queue.entries.get(0);
            assertEquals(queued.substring("250 2.0.0 Ok: queued as ".length()), e.queueId());
            assertEquals("sender@example.org", e.envelope().sender());
            assertEquals(List.of("alice@example.com", "Sales@example.com"),
                    e.envelope().recipients().stream().map(r -> r.address()).toList());
            assertEquals("8BITMIME", e.envelope().body());
            assertFalse(e.envelope().submission());
            String msg = fx.content(e.blob());
            assertTrue(msg.startsWith("Received: from client.example.org ([127.0.0.1])\r\n\tby mail.example.com"
                    + " (Mailfleet) with ESMTP id "), msg);
            assertTrue(msg.endsWith("\r\nSubject: hi\r\n\r\n.leading dot\r\nbody\r\n"), msg);
        }
    }

    @Test
    void startTlsDiscardsInjectedCommandsAndResetsSession() throws Exception {
        try (Wire c = connect(mx)) {
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<a@example.org>").expect("250 2.1.0");
            c.write("STARTTLS\r\nRSET\r\n");
            c.expect("220 2.0.0 Ready to start TLS");
            c.startTls();
            // the first reply after the handshake must answer what we send now, not the injected RSET
            c.send("NOOP").expect("250 2.0.0 Ok");
            c.send("MAIL FROM:<a@example.org>").expect("503 5.5.1 Error: send HELO/EHLO first");
            String ehlo = c.send("EHLO client.example.org").expect("250-");
            assertFalse(ehlo.contains("STARTTLS"));
            c.send("STARTTLS").expect("554 5.5.1 Error: TLS already active");
            c.send("MAIL FROM:<a@example.org>").expect("250 2.1.0");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5");
            c.send("DATA").expect("354");
            c.write("Subject: tls\r\n\r\nx\r\n.\r\n");
            c.expect("250 2.0.0 Ok: queued as");
            assertTrue(fx.content(fx.queue.entries.get(0).blob()).contains("with ESMTPS id"));
        }
    }

    @Test
    void smugglingVariantsAreConsumedAsDataAndRejected() throws Exception {
        String smuggled = "MAIL FROM:<evil@example.org>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\nevil\r\n";
        for (String variant : List.of("\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r\n.\r")) {
            try (Wire c = connect(mx)) {
                c.send("EHLO client.example.org").expect("250-");
                c.send("MAIL FROM:<a@example.org>").expect("250");
                c.send("RCPT TO:<alice@example.com>").expect("250");
                c.send("DATA").expect("354");
                c.write("Subject: s\r\n\r\nline" + variant + smuggled + "\r\n.\r\n");
                c.expect("550 5.5.2 Error: bare <");
                c.send("NOOP").expect("250 2.0.0 Ok"); // nothing smuggled was executed in between
            }
        }
        assertTrue(fx.queue.entries.isEmpty());
    }

    @Test
    void normalizeModeStoresBareLfAsCrlfAndStillNeedsCrlfDotCrlf() throws Exception {
        SmtpServer s = fx.start(SmtpFixture.custom(SmtpMode.MX, 10_000_000, Duration.ofSeconds(300),
                BareNewlinePolicy.NORMALIZE, false, List.of()));
        try (Wire c = connect(s)) {
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            c.write("Subject: n\n\nline\n.\nMAIL FROM:<evil@example.org>\r\n.\r\n");
            c.expect("250 2.0.0 Ok: queued as");
        }
        assertEquals(1, fx.queue.entries.size());
        String msg = fx.content(fx.queue.entries.get(0).blob());
        assertTrue(msg.endsWith("\r\nSubject: n\r\n\r\nline\r\n\r\nMAIL FROM:<evil@example.org>\r\n"), msg);
    }

    @Test
    void overlongLines() throws Exception {
        try (Wire c = connect(mx)) {
            c.send("NOOP " + "x".repeat(600)).expect("500 5.5.2 Error: line too long");
            c.send("NOOP").expect("250 2.0.0 Ok");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            c.write("Subject: long\r\n\r\n" + "y".repeat(998) + "\r\n" + "z".repeat(999) + "\r\n.\r\n");
            c.expect("500 5.5.2 Error: line too long");
            c.send("NOOP").expect("250 2.0.0 Ok");
        }
        assertTrue(fx.queue.entries.isEmpty());
    }

    @Test
    void sizeLimitAtMailAndInData() throws Exception {
        SmtpServer s = fx.start(SmtpFixture.custom(SmtpMode.MX, 2000, Duration.ofSeconds(300),
                BareNewlinePolicy.REJECT, false, List.of()));
        try (Wire c = connect(s)) {
            assertTrue(c.send("EHLO client.example.org").expect("250-").contains("SIZE 2000"));
            c.send("MAIL FROM:<a@example.org> SIZE=2001").expect("552 5.3.4 Message size exceeds fixed limit");
            c.send("MAIL FROM:<a@example.org> SIZE=100").expect("250 2.1.0");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            c.write("Subject: big\r\n\r\n" + ("0123456789".repeat(7) + "\r\n").repeat(100) + ".\r\n");
            c.expect("552 5.3.4 Message size exceeds fixed limit");
            c.send("NOOP").expect("250 2.0.0 Ok");
        }
        assertTrue(fx.queue.entries.isEmpty());
    }

    @Test
    void bdatChunksAndMixingRules() throws Exception {
        try (Wire c = connect(mx)) {
            c.send("EHLO client.example.org").expect("250-");
            c.write("BDAT 5\r\nhello");
            c.expect("503 5.5.1 Error: need MAIL command"); // chunk consumed, not read as commands
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.write("BDAT 18\r\nSubject: b\r\n\r\nab\r\n");
            c.expect("250 2.0.0 Ok: ");
            c.send("DATA").expect("503 5.5.1");
            c.write("BDAT 10 LAST\r\ncd\r\nQUIT\r\n");
            c.expect("250 2.0.0 Ok: queued as");
            c.send("BDAT 0 LAST").expect("503 5.5.1 Error: need MAIL command");
        }
        String msg = fx.content(fx.queue.entries.get(0).blob());
        assertTrue(msg.endsWith("\r\nSubject: b\r\n\r\nab\r\ncd\r\nQUIT\r\n"), msg);
    }

    @Test
    void queueFailureAnswers451AndNothingIsClaimed() throws Exception {
        fx.queue.failing = true;
        try (Wire c = connect(mx)) {
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            c.write("Subject: f\r\n\r\nx\r\n.\r\n");
            c.expect("451 4.3.0 Error: queue file write error");
            c.send("MAIL FROM:<a@example.org>").expect("250"); // the session goes on
            c.write("RCPT TO:<alice@example.com>\r\nBDAT 3 LAST\r\nabc");
            c.expect("250");
            c.expect("451 4.3.0 Error: queue file write error");
        }
        assertTrue(fx.queue.entries.isEmpty());
    }

    @Test
    void recipientPolicyReplies() throws Exception {
        try (Wire c = connect(mx)) {
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<mute@example.com>").expect("554 5.7.1 <mute@example.com>: Sender address rejected: Access denied");
            c.send("MAIL FROM:<>").expect("250 2.1.0");
            c.send("RCPT TO:<someone@elsewhere.org>").expect("554 5.7.1 <someone@elsewhere.org>: Relay access denied");
            c.send("RCPT TO:<full@example.com>").expect("552 5.2.2 Mailbox is full");
            c.send("RCPT TO:<closed@example.com>").expect("554 5.7.1 <closed@example.com>: Recipient address rejected: Access denied");
            c.send("RCPT TO:<alice+news@example.com>").expect("250 2.1.5");
            c.send("RCPT TO:<Postmaster>").expect("250 2.1.5");
            c.send("RCPT TO:<root@example.com>").expect("250 2.1.5");
            c.send("RCPT TO:<bad address>").expect("501 5.1.3");
        }
    }

    @Test
    void trustedNetworksMayRelay() throws Exception {
        SmtpServer s = fx.start(SmtpFixture.custom(SmtpMode.MX, 10_000_000, Duration.ofSeconds(300),
                BareNewlinePolicy.REJECT, false, List.of(Cidr.parse("127.0.0.0/8"))));
        try (Wire c = connect(s)) {
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<a@example.com>").expect("250");
            c.send("RCPT TO:<someone@elsewhere.org>").expect("250 2.1.5");
        }
    }

    @Test
    void tooManyErrorsDisconnects() throws Exception {
        try (Wire c = connect(mx)) {
            for (int i = 0; i < 19; i++) {
                c.send("BOGUS").expect("502 5.5.2");
            }
            c.write("BOGUS\r\n");
            c.expect("502 5.5.2");
            c.expect("421 4.7.0 " + SmtpFixture.HOST + " Error: too many errors");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void idleTimeoutAnswers421() throws Exception {
        SmtpServer s = fx.start(SmtpFixture.custom(SmtpMode.MX, 10_000_000, Duration.ofMillis(300),
                BareNewlinePolicy.REJECT, false, List.of()));
        try (Wire c = connect(s)) {
            c.expect("421 4.4.2 " + SmtpFixture.HOST + " Error: timeout exceeded");
            assertTrue(c.closedByServer());
        }
    }
}
