package io.mailfleet.protocols.smtp;

import io.mailfleet.core.mime.HeaderLimits;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DATA and BDAT refuse a message whose header section is over the limits, before the 250. */
class SmtpHeaderLimitTest {

    @TempDir
    static Path dir;
    static SmtpFixture fx;
    static SmtpServer mx;
    static SmtpServer small;

    @BeforeAll
    static void start() throws Exception {
        fx = new SmtpFixture(dir, false);
        mx = fx.start(SmtpFixture.settings(SmtpMode.MX));
        small = SmtpServer.start(SmtpFixture.settings(SmtpMode.MX), new SmtpServices(TestCollaborators.directory(),
                TestCollaborators.authenticator(), fx.blobs, fx.queue, TestCollaborators.usage(), fx.tls)
                .withHeaderLimits(new HeaderLimits(4096, 200)));
    }

    @AfterAll
    static void stop() {
        small.close();
        fx.close();
    }

    @BeforeEach
    void clear() {
        fx.queue.entries.clear();
    }

    private Wire transaction(SmtpServer s) throws Exception {
        Wire c = Wire.smtp(s.port());
        c.expect("220 ");
        c.send("EHLO client.example.org").expect("250-");
        c.send("MAIL FROM:<a@example.org>").expect("250");
        c.send("RCPT TO:<alice@example.com>").expect("250");
        return c;
    }

    private static String manyFields(int bytes) {
        StringBuilder sb = new StringBuilder("Subject: many\r\n");
        while (sb.length() <= bytes) {
            sb.append("X-A: b\r\n");
        }
        return sb.toString();
    }

    @Test
    void dataWithAHeaderOverTheDefaultSizeIsRefusedAndTheSessionGoesOn() throws Exception {
        try (Wire c = transaction(mx)) {
            c.send("DATA").expect("354");
            c.write(manyFields(HeaderLimits.DEFAULT_HEADER_BYTES) + "\r\nbody\r\n.\r\n");
            c.expect("552 5.3.4 Message header size exceeds limit");
            c.send("NOOP").expect("250 2.0.0 Ok");
            // a header just under the limit (the Received field counts too) is accepted
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            c.write(manyFields(HeaderLimits.DEFAULT_HEADER_BYTES - 2000) + "\r\nbody\r\n.\r\n");
            c.expect("250 2.0.0 Ok: queued as");
        }
        assertEquals(1, fx.queue.entries.size());
    }

    @Test
    void aFoldedFieldCountsWithItsContinuationLines() throws Exception {
        StringBuilder folded = new StringBuilder("X-Big: start\r\n");
        while (folded.length() <= HeaderLimits.DEFAULT_HEADER_BYTES) {
            folded.append("\t").append("z".repeat(900)).append("\r\n");
        }
        try (Wire c = transaction(mx)) {
            c.send("DATA").expect("354");
            c.write(folded + "\r\nbody\r\n.\r\n");
            c.expect("552 5.3.4 Message header size exceeds limit");
        }
        assertTrue(fx.queue.entries.isEmpty());
    }

    @Test
    void bdatWithAHeaderOverTheLimitFailsTheChunk() throws Exception {
        String msg = manyFields(HeaderLimits.DEFAULT_HEADER_BYTES) + "\r\nbody\r\n";
        try (Wire c = transaction(mx)) {
            c.write("BDAT " + msg.length() + " LAST\r\n" + msg);
            c.expect("552 5.3.4 Message header size exceeds limit");
            c.send("NOOP").expect("250 2.0.0 Ok");
        }
        assertTrue(fx.queue.entries.isEmpty());
    }

    @Test
    void configuredLimitsApplyToLinesAndTotal() throws Exception {
        try (Wire c = transaction(small)) {
            c.send("DATA").expect("354");
            c.write("Subject: " + "s".repeat(300) + "\r\n\r\nbody\r\n.\r\n");
            c.expect("552 5.3.4 Message header size exceeds limit");
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            c.write(manyFields(4096) + "\r\nbody\r\n.\r\n");
            c.expect("552 5.3.4 Message header size exceeds limit");
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            // long body lines are not header lines
            c.write("Subject: ok\r\n\r\n" + "b".repeat(900) + "\r\n.\r\n");
            c.expect("250 2.0.0 Ok: queued as");
        }
        assertEquals(1, fx.queue.entries.size());
    }
}
