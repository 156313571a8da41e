package io.mailfleet.protocols.smtp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replies of the MAIL, RCPT, AUTH and DATA/BDAT handlers that no other test pins, word for word
 * (Postfix's texts), on a real listener.
 */
class SmtpCommandRepliesTest {

    private static final String ALICE_PLAIN = "AGFsaWNlQGV4YW1wbGUuY29tAHNlY3JldA==";

    @TempDir
    Path dir;
    private SmtpFixture fx;

    @BeforeEach
    void fixture() throws Exception {
        fx = new SmtpFixture(dir, false);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private static RawSmtpClient connect(SmtpServer s) throws Exception {
        RawSmtpClient c = new RawSmtpClient(s.port(), false);
        c.expect("220 " + SmtpFixture.HOST + " ESMTP");
        c.cmd("EHLO client.example.org", "250-" + SmtpFixture.HOST);
        return c;
    }

    @Test
    void senderAndRecipientAddressesAreCheckedBeforeThePolicy() throws Exception {
        try (RawSmtpClient c = connect(fx.start(SmtpFixture.settings(SmtpMode.MX)))) {
            c.cmd("MAIL FROM:<j\u00f6rg@example.org>",
                    "553 5.6.7 <j\u00f6rg@example.org>: Sender address rejected: non-ASCII address needs SMTPUTF8");
            c.cmd("MAIL FROM:<nobody@>", "501 5.1.7 Bad sender address syntax");
            c.cmd("MAIL FROM:<sender@example.org>", "250 2.1.0 Ok");
            c.cmd("RCPT TO:<j\u00f6rg@example.com>", "501 5.1.3 Bad recipient address syntax");
            c.cmd("RCPT TO:<alice@>", "501 5.1.3 Bad recipient address syntax");
            c.cmd("RCPT TO:<alice@example.com>", "250 2.1.5 Ok");
        }
    }

    @Test
    void theRecipientLimitIsCountedPerTransaction() throws Exception {
        SmtpSettings two = new SmtpSettings("127.0.0.1", 0, SmtpMode.MX, SmtpFixture.HOST,
                SmtpSettings.DEFAULT_MESSAGE_SIZE, 2, 20, Duration.ofSeconds(300), false, BareNewlinePolicy.REJECT,
                false, List.of(), "+", "postmaster@example.com", true, 0);
        try (RawSmtpClient c = connect(fx.start(two))) {
            c.cmd("MAIL FROM:<sender@example.org>", "250 2.1.0 Ok");
            c.cmd("RCPT TO:<alice@example.com>", "250 2.1.5 Ok");
            c.cmd("RCPT TO:<bob@example.com>", "250 2.1.5 Ok");
            c.cmd("RCPT TO:<sales@example.com>", "452 4.5.3 Error: too many recipients");
            c.cmd("RSET", "250 2.0.0 Ok");
            c.cmd("MAIL FROM:<sender@example.org>", "250 2.1.0 Ok");
            c.cmd("RCPT TO:<sales@example.com>", "250 2.1.5 Ok");
        }
    }

    @Test
    void dataIsRefusedOnceATransactionUsesBdat() throws Exception {
        try (RawSmtpClient c = connect(fx.start(SmtpFixture.settings(SmtpMode.MX)))) {
            c.cmd("MAIL FROM:<sender@example.org>", "250 2.1.0 Ok");
            c.cmd("RCPT TO:<alice@example.com>", "250 2.1.5 Ok");
            c.write("BDAT 12\r\nSubject: x\r\n");
            // the size counts the Received header the server put in front
            assertTrue(c.expect("250 2.0.0 Ok: ").endsWith(" octets received"));
            c.cmd("DATA", "503 5.5.1 Error: DATA not allowed in a BDAT transaction");
            c.write("BDAT 6 LAST\r\n\r\nhi\r\n");
            c.expect("250 2.0.0 Ok: queued as ");
        }
        assertEquals(1, fx.queue.entries.size());
    }

    @Test
    void authIsRefusedDuringATransactionAndOnceAuthenticated() throws Exception {
        try (RawSmtpClient c = connect(fx.start(SmtpFixture.settings(SmtpMode.SUBMISSION)))) {
            c.cmd("MAIL FROM:<alice@example.com>", "250 2.1.0 Ok");
            c.cmd("AUTH PLAIN " + ALICE_PLAIN, "503 5.5.1 Error: MAIL transaction in progress");
            c.cmd("RSET", "250 2.0.0 Ok");
            c.cmd("AUTH PLAIN " + ALICE_PLAIN, "235 2.7.0 Authentication successful");
            c.cmd("AUTH PLAIN " + ALICE_PLAIN, "503 5.5.1 Error: already authenticated");
            c.cmd("MAIL FROM:<alice@example.com>", "250 2.1.0 Ok");
            c.cmd("RCPT TO:<someone@elsewhere.example>", "250 2.1.5 Ok");
        }
    }
}
