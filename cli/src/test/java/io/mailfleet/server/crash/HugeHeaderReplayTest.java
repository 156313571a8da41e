package io.mailfleet.server.crash;

import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, finding 1 replayed against a node in its own JVM at {@code -Xmx256m}: mailboxes hold
 * messages with huge headers (stored by a node without header limits, as before the fix: a 9.4 MB
 * header folded over 9,500 lines through unauthenticated port 25, 1,200,000 {@code X-A: b} fields and
 * a 1 MB subject through APPEND), the node restarts with the default limits, refuses the same
 * messages with the right replies, accepts what the limits admit, and then 20 concurrent sessions
 * run {@code SEARCH HEADER X-Big zzz}, {@code SEARCH SUBJECT}, {@code SEARCH TEXT} and
 * {@code FETCH 1:* BODY.PEEK[HEADER.FIELDS.NOT (…)]} repeatedly. The node must stay up, print no
 * {@code OutOfMemoryError} (the child also runs with {@code -XX:+ExitOnOutOfMemoryError}) and answer
 * every command of every session.
 */
class HugeHeaderReplayTest {

    private static final int SESSIONS = 20;
    private static final int ROUNDS = 2;
    private static final int HEAP_MB = 256;

    @TempDir
    Path data;

    /** A header folded over {@code lines} continuation lines of {@code width} octets, starting with X-Big. */
    private static String foldedHeader(String subject, int lines, int width) {
        StringBuilder h = new StringBuilder("Subject: ").append(subject).append("\r\nX-Big: zzz start\r\n");
        String continuation = "\t" + "y".repeat(width - 1) + "\r\n";
        for (int i = 0; i < lines; i++) {
            h.append(continuation);
        }
        return h.toString();
    }

    private static byte[] manyFields(int fields) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(fields * 8 + 100);
        b.writeBytes("Subject: many fields\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] field = "X-A: b\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < fields; i++) {
            b.writeBytes(field);
        }
        b.writeBytes("\r\nbody of many fields\r\n".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String smtp(int port, String message) throws IOException {
        try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, port, 120_000)) {
            Smtp.beginData(smtp, "attacker@remote.example", ChildNode.ACCOUNT);
            smtp.out().write(bytes(message));
            return Smtp.endData(smtp);
        }
    }

    /** APPEND of {@code message} to {@code folder} with a non-synchronizing literal. */
    private static Wire.Skimmed append(Wire c, String tag, String folder, byte[] message) throws IOException {
        c.write(tag + " APPEND " + folder + " {" + message.length + "+}\r\n").write(message).write("\r\n");
        return c.skimUntilTagged(tag);
    }

    private static Wire login(int port) throws IOException {
        Wire c = Wire.connect(Wire.Protocol.IMAP, port, 120_000);
        String greeting = c.line();
        if (!greeting.startsWith("* OK")) {
            c.close();
            throw new IOException("unexpected greeting " + greeting);
        }
        String ok = c.skim("L", "LOGIN " + ChildNode.ACCOUNT + " " + ChildNode.PASSWORD).tagged();
        if (!ok.startsWith("L OK")) {
            c.close();
            throw new IOException("login failed: " + ok);
        }
        return c;
    }

    private static int inboxCount(int imapPort) throws IOException {
        try (Wire c = login(imapPort)) {
            String status = c.skim("s", "STATUS INBOX (MESSAGES)").untagged().get(0);
            return Integer.parseInt(status.replaceAll(".*MESSAGES (\\d+).*", "$1"));
        }
    }

    private static void awaitInbox(int imapPort, int expected, ChildNode child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int n;
        while ((n = inboxCount(imapPort)) < expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(expected, n, "messages in INBOX\n" + child.output());
    }

    @Test
    void twentySessionsSearchingAndFetchingHugeHeadersLeaveA256MegabyteNodeUp() throws Exception {
        int imapPort = io.mailfleet.server.TestServers.freePort();
        Map<String, String> base = ChildNode.env(data, Map.of("MAILFLEET_IMAP_PORT", Integer.toString(imapPort),
                "MAILFLEET_IMAP_MAX_USERIP_CONNECTIONS", "50"));

        String folded = foldedHeader("legacy folded", 9_500, 990) + "\r\nbody zzz of the folded one\r\n";
        byte[] fields = manyFields(1_200_000);
        String bigSubject = foldedHeader("zzz huge subject", 1_100, 990).replace("\r\nX-Big: zzz start\r\n",
                "\r\n") + "\r\nbody of the big subject\r\n";

        // 1. as before the fix: a node with no effective header limit stores the attacker's messages
        Map<String, String> legacyEnv = new java.util.HashMap<>(base);
        legacyEnv.put("MAILFLEET_HEADER_SIZE_LIMIT", "30000000");
        Map<String, String> ran;
        try (ChildNode legacy = ChildNode.start(legacyEnv, HEAP_MB)) {
            ran = new java.util.HashMap<>(legacy.env());
            String reply = smtp(legacy.smtpPort(), folded);
            assertTrue(reply != null && reply.startsWith("250"), reply + "\n" + legacy.output());
            try (Wire c = login(imapPort)) {
                assertTrue(append(c, "a", "INBOX", fields).tagged().startsWith("a OK"));
                assertTrue(append(c, "b", "INBOX", bytes(bigSubject)).tagged().startsWith("b OK"));
            }
            awaitInbox(imapPort, 3, legacy);
        }

        // 2. the same node with the default limits, at -Xmx256m
        ran.remove("MAILFLEET_HEADER_SIZE_LIMIT");
        try (ChildNode node = ChildNode.start(ran, HEAP_MB)) {
            assertEquals("552 5.3.4 Message header size exceeds limit", smtp(node.smtpPort(), folded).strip());
            StringBuilder oneLine = new StringBuilder("Subject: one line\r\nX-Big: zzz ");
            oneLine.append("z".repeat(20 * 1024 * 1024)).append("\r\n\r\nbody\r\n");
            try (Wire c = login(imapPort)) {
                assertEquals("a NO [LIMIT] Message header size exceeds limit",
                        append(c, "a", "INBOX", bytes(oneLine.toString())).tagged());
                oneLine.setLength(0);
                assertEquals("b NO [LIMIT] Message header size exceeds limit", append(c, "b", "INBOX", fields).tagged());
                // what the limits still admit: headers just under 100 KiB, folded and as many fields
                for (int i = 0; i < 3; i++) {
                    String admitted = foldedHeader("zzz admitted " + i, 95, 990) + "\r\nbody zzz " + i + "\r\n";
                    assertTrue(append(c, "c" + i, "INBOX", bytes(admitted)).tagged().startsWith("c" + i + " OK"));
                }
            }
            String viaSmtp = foldedHeader("zzz admitted by smtp", 90, 990) + "\r\nbody\r\n";
            String reply = smtp(node.smtpPort(), viaSmtp);
            assertTrue(reply != null && reply.startsWith("250"), reply);
            awaitInbox(imapPort, 7, node);

            ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
            List<Future<String>> sessions = new ArrayList<>();
            try {
                for (int s = 0; s < SESSIONS; s++) {
                    sessions.add(pool.submit(() -> session(imapPort)));
                }
                List<String> problems = new ArrayList<>();
                for (Future<String> f : sessions) {
                    String problem = f.get(150, TimeUnit.SECONDS);
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
                assertTrue(problems.isEmpty(), problems + "\n" + node.output());
            } finally {
                pool.shutdownNow();
            }
            assertTrue(node.isAlive(), "the node died:\n" + node.output());
            assertFalse(node.sawOutOfMemory(), "the node ran out of memory:\n" + node.output());
            // and it still answers a new session
            try (Wire c = login(imapPort)) {
                assertTrue(c.skim("n", "NOOP").tagged().startsWith("n OK"));
            }
        }
    }

    /** One session's commands; null when every one was answered OK with the expected hits, else what went wrong. */
    private static String session(int imapPort) {
        try (Wire c = login(imapPort)) {
            Wire.Skimmed select = c.skim("s", "SELECT INBOX");
            if (!select.tagged().startsWith("s OK")) {
                return "SELECT: " + select.tagged();
            }
            for (int r = 0; r < ROUNDS; r++) {
                Wire.Skimmed header = c.skim("h" + r, "SEARCH HEADER X-Big zzz");
                // the legacy folded one, the three admitted by APPEND and the one by SMTP
                if (!header.tagged().startsWith("h" + r + " OK") || !header.untagged().contains("* SEARCH 1 4 5 6 7")) {
                    return "SEARCH HEADER: " + header.untagged() + " " + header.tagged();
                }
                Wire.Skimmed subject = c.skim("u" + r, "SEARCH SUBJECT zzz");
                if (!subject.tagged().startsWith("u" + r + " OK") || !subject.untagged().contains("* SEARCH 3 4 5 6 7")) {
                    return "SEARCH SUBJECT: " + subject.untagged() + " " + subject.tagged();
                }
                Wire.Skimmed text = c.skim("t" + r, "SEARCH TEXT zzz");
                if (!text.tagged().startsWith("t" + r + " OK") || !text.untagged().contains("* SEARCH 1 3 4 5 6 7")) {
                    return "SEARCH TEXT: " + text.untagged() + " " + text.tagged();
                }
                Wire.Skimmed fetch = c.skim("f" + r, "FETCH 1:* BODY.PEEK[HEADER.FIELDS.NOT (X-Big Received)]");
                if (!fetch.tagged().startsWith("f" + r + " OK") || fetch.untagged().size() != 7
                        || fetch.literalOctets() < 9_600_000) {
                    return "FETCH: " + fetch.untagged().size() + " responses, " + fetch.literalOctets() + " octets, "
                            + fetch.tagged();
                }
            }
            return null;
        } catch (IOException e) {
            return "session failed: " + e;
        }
    }
}
