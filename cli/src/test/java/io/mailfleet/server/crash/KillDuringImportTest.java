package io.mailfleet.server.crash;

import io.mailfleet.cli.Cli;
import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the node while {@code import maildir} runs, then the same import again on the restarted
 * node: every message of the Maildir is in the mailbox exactly once, under the UID its
 * {@code dovecot-uidlist} gave it, however the batches of the first run were cut.
 */
class KillDuringImportTest {

    private static final int MESSAGES = 4000;
    private static final Pattern EXISTS = Pattern.compile("MESSAGES (\\d+)");

    @TempDir
    Path data;
    @TempDir
    Path src;

    @Test
    void aKilledImportRunAgainGivesEveryMessageOnceWithItsUid() throws Exception {
        Path maildir = src.resolve("user");
        Map<String, Long> uidOf = writeMaildir(maildir);
        Map<String, String> env = ChildNode.env(data, Map.of("MAILFLEET_IMAP_PORT", Integer.toString(TestServers.freePort())));
        Map<String, String> ran;
        long seenBeforeKill;
        try (ChildNode child = ChildNode.start(env, 256)) {
            ran = child.env();
            CompletableFuture<Integer> firstRun = CompletableFuture.supplyAsync(() -> importMaildir(ran, maildir).code);
            seenBeforeKill = awaitSomeImported(Integer.parseInt(ran.get("MAILFLEET_IMAP_PORT")), firstRun, child);
            child.kill();
            firstRun.get(60, TimeUnit.SECONDS); // the command fails, the node is gone
        }
        try (MailfleetServer again = TestServers.start(ran, null)) {
            int afterCrash = Inbox.messages(again, ChildNode.ACCOUNT).size();
            assertTrue(afterCrash >= seenBeforeKill && afterCrash < MESSAGES,
                    "the kill came mid-import: " + afterCrash + " of " + MESSAGES + " stored, " + seenBeforeKill + " seen");
            Result second = importMaildir(ran, maildir);
            assertEquals(0, second.code, second.out);
            assertTrue(second.out.contains("INFO: imported " + (MESSAGES - afterCrash) + " message(s)"), second.out);
            assertTrue(second.out.contains(afterCrash + " already there, 0 skipped"), second.out);

            List<MessageMeta> inbox = Inbox.messages(again, ChildNode.ACCOUNT);
            assertEquals(MESSAGES, inbox.size());
            Map<String, Long> stored = new HashMap<>();
            for (MessageMeta m : inbox) {
                byte[] bytes;
                try (InputStream in = again.blobs().open(m.blob())) {
                    bytes = in.readAllBytes();
                }
                String id = Inbox.messageId(bytes);
                Long before = stored.put(id, m.uid());
                assertEquals(null, before, id + " stored twice, under uids " + before + " and " + m.uid());
            }
            assertEquals(uidOf, stored, "every message once, with the uid of dovecot-uidlist");
        }
    }

    /** A Maildir of {@link #MESSAGES} small messages, uids with gaps; answers uid by Message-ID. */
    private static Map<String, Long> writeMaildir(Path maildir) throws Exception {
        Files.createDirectories(maildir.resolve("cur"));
        Files.createDirectories(maildir.resolve("new"));
        StringBuilder uidlist = new StringBuilder();
        Map<String, Long> uidOf = new HashMap<>();
        String body = "a line of the body of an imported message, long enough to look like mail\n".repeat(20);
        long uid = 0;
        for (int n = 0; n < MESSAGES; n++) {
            uid += n % 7 == 0 ? 2 : 1;
            String base = (1_600_000_000L + n) + ".M" + n + "P1.old";
            String id = "<kill-" + n + "@example.org>";
            Files.writeString(maildir.resolve("cur").resolve(base + ":2,S"), "From: <a@example.org>\n"
                    + "Subject: import crash " + n + "\nMessage-ID: " + id + "\n\n" + body, StandardCharsets.US_ASCII);
            uidlist.append(uid).append(" :").append(base).append('\n');
            uidOf.put(id, uid);
        }
        Files.writeString(maildir.resolve("dovecot-uidlist"), "3 V1500000000 N" + (uid + 1) + "\n" + uidlist);
        return uidOf;
    }

    /** Polls INBOX until the first batch is in; the count seen, which the kill cannot undo. */
    private static long awaitSomeImported(int imapPort, CompletableFuture<Integer> run, ChildNode child)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Wire imap = Wire.imap(imapPort)) {
            assertTrue(Wire.last(imap.command("L", "LOGIN " + ChildNode.ACCOUNT + " " + ChildNode.PASSWORD)).startsWith("L OK"));
            while (System.nanoTime() < deadline) {
                Matcher m = EXISTS.matcher(String.join("\n", imap.command("S", "STATUS INBOX (MESSAGES)")));
                long n = m.find() ? Long.parseLong(m.group(1)) : 0;
                if (n > 0) {
                    return n;
                }
                assertTrue(!run.isDone(), "the import ended before any message was seen: " + run.getNow(null)
                        + "\n" + child.output());
                Thread.sleep(10);
            }
        }
        throw new AssertionError("no message imported within 120 s:\n" + child.output());
    }

    private record Result(int code, String out) {
    }

    private static Result importMaildir(Map<String, String> env, Path maildir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"import", "maildir", maildir.toString(), "--account", ChildNode.ACCOUNT},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8), env);
        return new Result(code, out.toString(StandardCharsets.UTF_8));
    }
}
