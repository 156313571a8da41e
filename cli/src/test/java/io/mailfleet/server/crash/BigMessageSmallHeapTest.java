package io.mailfleet.server.crash;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 50 MB message into a node whose JVM has a 96 MB heap: it streams to the blob store, gets 250, and the
 * stored blob is the Received header followed by exactly the bytes sent (size and SHA-256).
 */
class BigMessageSmallHeapTest {

    private static final String MESSAGE_ID = "<big-50mb@client.remote.example>";
    private static final long TARGET_SIZE = 50L * 1024 * 1024;
    private static final int LINE = 78;
    /** Every so many lines one starts with a dot, so dot-stuffing is exercised across the whole stream. */
    private static final int DOT_EVERY = 997;
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path data;

    @Test
    void fiftyMegabytesStreamThroughA96MegabyteHeap() throws Exception {
        Map<String, String> env = ChildNode.env(data, Map.of("POSTFIX_MESSAGE_SIZE_LIMIT", "60000000"));
        Map<String, String> ran;
        Sent sent;
        try (ChildNode child = ChildNode.start(env, 96)) {
            ran = child.env();
            try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, child.smtpPort(), 120_000)) {
                Smtp.beginData(smtp, "sender@remote.example", ChildNode.ACCOUNT);
                sent = streamMessage(smtp.out());
                String reply = Smtp.endData(smtp);
                assertTrue(reply != null && reply.startsWith("250 2.0.0 Ok: queued as "),
                        reply + "\n" + child.output());
            }
            // a 250 is a promise that survives kill -9, so the check below reads what a crash leaves
            child.kill();
        }

        try (MailfleetServer again = TestServers.start(ran, null)) {
            assertEquals(Map.of(MESSAGE_ID, 1), Inbox.settledCounts(again, ChildNode.ACCOUNT, Set.of(MESSAGE_ID)));
            List<MessageMeta> inbox = Inbox.messages(again, ChildNode.ACCOUNT);
            MessageMeta meta = inbox.get(0);
            long prefix = meta.size() - sent.size();
            assertTrue(prefix > 0 && prefix < 1024, "stored " + meta.size() + " bytes for " + sent.size() + " sent");
            MessageDigest whole = MessageDigest.getInstance("SHA-256");
            MessageDigest content = MessageDigest.getInstance("SHA-256");
            long stored = 0;
            try (InputStream in = again.blobs().open(meta.blob())) {
                byte[] head = in.readNBytes((int) prefix);
                whole.update(head);
                stored += head.length;
                assertReceivedHeaderOnly(new String(head, StandardCharsets.US_ASCII));
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    whole.update(buf, 0, n);
                    content.update(buf, 0, n);
                    stored += n;
                }
            }
            assertEquals(meta.size(), stored, "blob length matches its reference");
            assertEquals(meta.blob().sha256(), HexFormat.of().formatHex(whole.digest()), "blob matches its own SHA-256");
            assertEquals(sent.sha256(), HexFormat.of().formatHex(content.digest()),
                    "after the Received header the blob is byte for byte what the client sent");
        }
    }

    /** The prefix is one Received field (possibly folded) and nothing else. */
    private static void assertReceivedHeaderOnly(String head) {
        assertTrue(head.startsWith("Received: ") && head.endsWith("\r\n"), head);
        String[] lines = head.substring(0, head.length() - 2).split("\r\n", -1);
        for (int i = 1; i < lines.length; i++) {
            assertTrue(lines[i].startsWith("\t") || lines[i].startsWith(" "), "not a folded Received field: " + head);
        }
    }

    private record Sent(long size, String sha256) {
    }

    /**
     * Generates the message on the fly (never held in memory), writes it dot-stuffed and hashes it as
     * the server must store it (unstuffed).
     */
    private static Sent streamMessage(OutputStream out) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] headers = ("From: <sender@remote.example>\r\n"
                + "To: <" + ChildNode.ACCOUNT + ">\r\n"
                + "Subject: fifty megabytes\r\n"
                + "Message-ID: " + MESSAGE_ID + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
        out.write(headers);
        digest.update(headers);
        long size = headers.length;
        Random random = new Random(42);
        byte[] line = new byte[LINE + 2];
        line[LINE] = '\r';
        line[LINE + 1] = '\n';
        byte[] dot = {'.'};
        for (long n = 0; size + line.length <= TARGET_SIZE; n++) {
            for (int i = 0; i < LINE; i++) {
                line[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            if (n % DOT_EVERY == 0) {
                line[0] = '.';
                out.write(dot);
            }
            out.write(line);
            digest.update(line);
            size += line.length;
        }
        out.flush();
        return new Sent(size, HexFormat.of().formatHex(digest.digest()));
    }
}
