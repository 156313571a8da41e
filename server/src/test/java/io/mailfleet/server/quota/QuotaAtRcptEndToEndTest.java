package io.mailfleet.server.quota;

import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-mailserver's quota-status over a real node's port 25: the SIZE declared at MAIL FROM plus the
 * usage against the quota with 10 % grace at RCPT, and the real size at the end of data when no SIZE
 * was declared (issue 18: a 2 MB message announced with SIZE got 250 and the mailbox showed 193 %).
 */
class QuotaAtRcptEndToEndTest {

    private static final String USER = "user@example.com";
    private static final long QUOTA = 10_000;

    @TempDir
    Path data;

    @Test
    void declaredSizeAndRealSizeAreCountedAgainstTheQuotaWithGrace() throws Exception {
        try (MailfleetServer server = TestServers.start(TestServers.env(data, Map.of()),
                new FirstAccount(USER, "secret", false))) {
            server.node().directory().apply(new DirectoryChange.SetQuota(USER, QUOTA))
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            int port = server.listeners().smtpPorts().get(SmtpMode.MX);
            try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, port, 30_000)) {
                smtp.expect("220");
                smtp.send("EHLO client.remote.example").expect("250");
                // empty mailbox: 20 000 bytes announced against 10 000 (+10 % grace) is refused at RCPT
                smtp.send("MAIL FROM:<a@remote.example> SIZE=20000").expect("250");
                assertEquals("552 5.2.2 Mailbox is full", smtp.send("RCPT TO:<" + USER + ">").expect("552"));
                smtp.send("RSET").expect("250");
                // 10 900 bytes go over the quota but stay within the grace of 1 000
                smtp.send("MAIL FROM:<a@remote.example> SIZE=10900").expect("250");
                smtp.send("RCPT TO:<" + USER + ">").expect("250 2.1.5");
                smtp.send("RSET").expect("250");
                // 11 001 is one byte past the grace
                smtp.send("MAIL FROM:<a@remote.example> SIZE=11001").expect("250");
                smtp.send("RCPT TO:<" + USER + ">").expect("552 5.2.2 Mailbox is full");
                smtp.send("RSET").expect("250");

                // no SIZE: RCPT passes, the real 12 000 bytes are refused at the end of data, before any 250
                smtp.send("MAIL FROM:<a@remote.example>").expect("250");
                smtp.send("RCPT TO:<" + USER + ">").expect("250 2.1.5");
                smtp.send("DATA").expect("354");
                assertEquals("552 5.2.2 Mailbox is full", smtp.send(message("too big", 12_000) + ".").expect("552"));
                // the session goes on: a message that fits is queued
                smtp.send("MAIL FROM:<a@remote.example>").expect("250");
                smtp.send("RCPT TO:<" + USER + ">").expect("250 2.1.5");
                smtp.send("DATA").expect("354");
                smtp.send(message("fits", 8_000) + ".").expect("250 2.0.0 Ok: queued as");
            }
            long used = awaitUsage(server, 8_000);
            assertTrue(used < QUOTA, "one message of about 8 000 bytes stored: " + used);
            try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, port, 30_000)) {
                smtp.expect("220");
                smtp.send("EHLO client.remote.example").expect("250");
                // under the quota, a small message still fits; one that would pass the grace does not
                smtp.send("MAIL FROM:<a@remote.example> SIZE=1000").expect("250");
                smtp.send("RCPT TO:<" + USER + ">").expect("250 2.1.5");
                smtp.send("RSET").expect("250");
                smtp.send("MAIL FROM:<a@remote.example> SIZE=" + (QUOTA + QUOTA / 10 - used + 1)).expect("250");
                smtp.send("RCPT TO:<" + USER + ">").expect("552 5.2.2 Mailbox is full");
                smtp.send("RSET").expect("250");
                // BDAT without SIZE is held to the same rule at its LAST chunk
                smtp.send("MAIL FROM:<a@remote.example>").expect("250");
                smtp.send("RCPT TO:<" + USER + ">").expect("250 2.1.5");
                String big = message("bdat", 4_000);
                smtp.write("BDAT " + big.length() + " LAST\r\n" + big);
                assertEquals("552 5.2.2 Mailbox is full", smtp.expect("552"));
            }
            assertEquals(1, server.node().mailboxes().messages(USER, "INBOX").toCompletableFuture()
                    .get(20, TimeUnit.SECONDS).size(), "only the message that fitted was stored");
        }
    }

    /** A message of about {@code size} bytes in lines of 78, ending in CRLF. */
    static String message(String subject, int size) {
        StringBuilder sb = new StringBuilder("Subject: " + subject + "\r\n\r\n");
        while (sb.length() < size) {
            sb.append("x".repeat(76)).append("\r\n");
        }
        return sb.toString();
    }

    /** Waits until the replicated usage the RCPT check reads shows at least {@code atLeast} bytes. */
    static long awaitUsage(MailfleetServer server, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long used = 0;
        while (System.nanoTime() < deadline) {
            used = server.node().mailboxes().usedBytes(USER);
            if (used >= atLeast) {
                return used;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("usage of " + USER + " stayed at " + used);
    }
}
