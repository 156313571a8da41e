package io.mailfleet.server.crash;

import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 while DATA (no final dot) or BDAT (no LAST chunk) is unfinished: the client never saw
 * {@code queued as} and the message is not delivered after restart.
 */
class KillBeforeAcceptTest {

    private static final String DELIVERED = "<before-kill-complete@client.remote.example>";
    private static final String UNFINISHED = "<before-kill-unfinished@client.remote.example>";
    private static final String UNFINISHED_BDAT = "<before-kill-unfinished-bdat@client.remote.example>";

    @TempDir
    Path data;

    @Test
    void unfinishedMessagesAreNeitherAcknowledgedNorDelivered() throws Exception {
        Map<String, String> env = ChildNode.env(data, Map.of());
        Map<String, String> ran;
        String afterKill;
        String afterKillBdat;
        String chunkReply;
        try (ChildNode child = ChildNode.start(env, 256)) {
            ran = child.env();
            try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, child.smtpPort(), 30_000)) {
                Smtp.beginData(smtp, "sender@remote.example", ChildNode.ACCOUNT);
                smtp.write(message(DELIVERED, 10));
                String reply = Smtp.endData(smtp);
                assertTrue(reply != null && reply.startsWith("250 2.0.0 Ok: queued as "), String.valueOf(reply));
            }
            try (Wire data = Wire.connect(Wire.Protocol.SMTP, child.smtpPort(), 30_000);
                 Wire bdat = Wire.connect(Wire.Protocol.SMTP, child.smtpPort(), 30_000)) {
                Smtp.beginData(data, "sender@remote.example", ChildNode.ACCOUNT);
                // about 1 MB, so part of it has already reached the blob store's files when the node dies
                data.write(message(UNFINISHED, 20_000));

                String ehlo = Smtp.beginTransaction(bdat, "sender@remote.example", ChildNode.ACCOUNT);
                assertTrue(ehlo.contains("CHUNKING"), ehlo);
                String chunk = message(UNFINISHED_BDAT, 1_000);
                bdat.write("BDAT " + chunk.length() + "\r\n" + chunk);
                chunkReply = bdat.smtpReply();

                // no CRLF.CRLF and no BDAT LAST: the server must still be waiting; let it consume what was sent
                Thread.sleep(500);
                assertTrue(child.isAlive(), child.output());
                child.kill();
                afterKill = readAfterKill(data);
                afterKillBdat = readAfterKill(bdat);
            }
        }
        assertFalse(afterKill.contains("250"), "the client saw a reply to an unfinished DATA: " + afterKill);
        // a chunk is acknowledged on its own, but that is no promise: only "queued as" is
        assertTrue(chunkReply != null && chunkReply.startsWith("250 ") && !chunkReply.contains("queued"),
                String.valueOf(chunkReply));
        assertFalse(afterKillBdat.contains("250"), "the client saw a reply after an unfinished BDAT: " + afterKillBdat);

        try (MailfleetServer again = TestServers.start(ran, null)) {
            Map<String, Integer> counts = Inbox.settledCounts(again, ChildNode.ACCOUNT, Set.of(DELIVERED));
            assertEquals(Map.of(DELIVERED, 1), counts, "only the acknowledged message is delivered");
        }
    }

    /** Everything the client can still read once the server is gone (normally nothing). */
    private static String readAfterKill(Wire smtp) {
        StringBuilder seen = new StringBuilder();
        try {
            String reply;
            while ((reply = smtp.smtpReply()) != null) {
                seen.append(reply).append('\n');
            }
        } catch (IOException e) {
            seen.append("(").append(e.getClass().getSimpleName()).append(")");
        }
        return seen.toString();
    }

    private static String message(String messageId, int bodyLines) {
        return "From: <sender@remote.example>\r\n"
                + "To: <" + ChildNode.ACCOUNT + ">\r\n"
                + "Subject: killed before 250?\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "\r\n"
                + "a line of body text that is long enough to add up to a megabyte...\r\n".repeat(bodyLines);
    }
}
