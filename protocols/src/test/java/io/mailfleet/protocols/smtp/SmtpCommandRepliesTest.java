package io.mailfleet.protocols.smtp;

import io.mailfleet.testkit.Wire;
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

    private static Wire connect(SmtpServer s) throws Exception {
        Wire c = Wire.smtp(s.port());
        c.expect("220 " + SmtpFixture.HOST + " ESMTP");
        c.send("EHLO client.example.org").expect("250-" + SmtpFixture.HOST);
        return c;
    }

    @Test
    void senderAndRecipientAddressesAreCheckedBeforeThePolicy() throws Exception {
        try (Wire c = connect(fx.start(SmtpFixture.settings(SmtpMode.MX)))) {
            c.send("MAIL FROM:<j\u00f6rg@example.org>")
                    .expect("553 5.6.7 <j\u00f6rg@example.org>: Sender address rejected: non-ASCII address needs SMTPUTF8");
            c.send("MAIL FROM:<nobody@>").expect("501 5.1.7 Bad sender address syntax");
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<j\u00f6rg@example.com>").expect("501 5.1.3 Bad recipient address syntax");
            c.send("RCPT TO:<alice@>").expect("501 5.1.3 Bad recipient address syntax");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
        }
    }

    @Test
    void theRecipientLimitIsCountedPerTransaction() throws Exception {
        SmtpSettings two = new SmtpSettings("127.0.0.1", 0, SmtpMode.MX, SmtpFixture.HOST,
                SmtpSettings.DEFAULT_MESSAGE_SIZE, 2, 20, Duration.ofSeconds(300), false, BareNewlinePolicy.REJECT,
                false, List.of(), "+", "postmaster@example.com", true, 0);
        try (Wire c = connect(fx.start(two))) {
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
            c.send("RCPT TO:<bob@example.com>").expect("250 2.1.5 Ok");
            c.send("RCPT TO:<sales@example.com>").expect("452 4.5.3 Error: too many recipients");
            c.send("RSET").expect("250 2.0.0 Ok");
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<sales@example.com>").expect("250 2.1.5 Ok");
        }
    }

    @Test
    void dataIsRefusedOnceATransactionUsesBdat() throws Exception {
        try (Wire c = connect(fx.start(SmtpFixture.settings(SmtpMode.MX)))) {
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
            c.write("BDAT 12\r\nSubject: x\r\n");
            // the size counts the Received header the server put in front
            assertTrue(c.expect("250 2.0.0 Ok: ").endsWith(" octets received"));
            c.send("DATA").expect("503 5.5.1 Error: DATA not allowed in a BDAT transaction");
            c.write("BDAT 6 LAST\r\n\r\nhi\r\n");
            c.expect("250 2.0.0 Ok: queued as ");
        }
        assertEquals(1, fx.queue.entries.size());
    }

    @Test
    void authIsRefusedDuringATransactionAndOnceAuthenticated() throws Exception {
        try (Wire c = connect(fx.start(SmtpFixture.settings(SmtpMode.SUBMISSION)))) {
            c.send("MAIL FROM:<alice@example.com>").expect("250 2.1.0 Ok");
            c.send("AUTH PLAIN " + ALICE_PLAIN).expect("503 5.5.1 Error: MAIL transaction in progress");
            c.send("RSET").expect("250 2.0.0 Ok");
            c.send("AUTH PLAIN " + ALICE_PLAIN).expect("235 2.7.0 Authentication successful");
            c.send("AUTH PLAIN " + ALICE_PLAIN).expect("503 5.5.1 Error: already authenticated");
            c.send("MAIL FROM:<alice@example.com>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<someone@elsewhere.example>").expect("250 2.1.5 Ok");
        }
    }
}
