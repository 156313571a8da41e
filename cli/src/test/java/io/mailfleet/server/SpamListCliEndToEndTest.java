package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./mailfleet spam allow|block add|list|del} against a real node with the built-in scorer on: what
 * the CLI puts on a list decides where GTUBE sent over port 25 is filed; deleting the account deletes its lists.
 */
class SpamListCliEndToEndTest {

    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    @TempDir
    Path data;

    @Test
    void listsMadeWithTheCliDecideWhereSpamGoes() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("MAILFLEET_SPAM_SCORER", "1",
                "TRUSTED_NETWORKS", "192.0.2.1/32"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "pw", false))) {
            CliRun add = CliRun.cli(env, "spam", "allow", "add", "user@example.com",
                    "*@Friends.Example");
            assertEquals(0, add.code(), add.toString());
            assertEquals("INFO: friends.example is on the allow list of user@example.com\n", add.out());
            assertEquals(0, CliRun.cli(env, "spam", "block", "add", "user@example.com", "*.pests.example")
                    .code());
            CliRun dup = CliRun.cli(env, "spam", "allow", "add", "user@example.com",
                    "friends.example");
            assertEquals(1, dup.code(), dup.toString());
            assertTrue(dup.err().contains("already"), dup.toString());
            CliRun bad = CliRun.cli(env, "spam", "block", "add", "user@example.com", "nonsense");
            assertEquals(1, bad.code(), bad.toString());
            assertTrue(bad.err().contains("is no sender address"), bad.toString());
            assertEquals(1, CliRun.cli(env, "spam", "allow", "add", "nobody@example.com", "x.example").code());
            assertEquals(2, CliRun.cli(env, "spam", "maybe", "add", "user@example.com", "x.example").code());

            CliRun allowList = CliRun.cli(env, "spam", "allow", "list", "user@example.com");
            assertEquals("* friends.example\n", allowList.out(), allowList.toString());
            CliRun blockList = CliRun.cli(env, "spam", "block", "list", "user@example.com");
            assertEquals("* *.pests.example\n", blockList.out(), blockList.toString());

            assertTrue(send(server, "anne@friends.example", "friendly gtube", GTUBE).startsWith("250 "));
            assertTrue(send(server, "x@www.pests.example", "pest", "Hello.").startsWith("250 "));
            assertTrue(messages(server, "INBOX", 1).get(0).contains("Subject: friendly gtube"));
            assertTrue(messages(server, "Junk", 1).get(0).contains("Subject: pest"));

            CliRun del = CliRun.cli(env, "spam", "allow", "del", "user@example.com",
                    "friends.example");
            assertEquals(0, del.code(), del.toString());
            assertEquals("INFO: friends.example removed from the allow list of user@example.com\n", del.out());
            assertEquals("INFO: the allow list of user@example.com is empty\n",
                    CliRun.cli(env, "spam", "allow", "list", "user@example.com").out());
            assertEquals(1, CliRun.cli(env, "spam", "allow", "del", "user@example.com", "friends.example")
                    .code());
            assertTrue(send(server, "anne@friends.example", "friendly gtube again", GTUBE).startsWith("250 "));
            assertTrue(messages(server, "Junk", 2).get(1).contains("Subject: friendly gtube again"));

            // a deleted account takes its lists with it: one made again under the address starts clean
            assertEquals(0, CliRun.cli(env, "email", "del", "user@example.com").code());
            assertEquals(0, CliRun.cli(env, "email", "add", "user@example.com", "other-pw").code());
            assertEquals("INFO: the block list of user@example.com is empty\n",
                    CliRun.cli(env, "spam", "block", "list", "user@example.com").out());
        }
    }

    private static String send(MailfleetServer server, String from, String subject, String text) throws Exception {
        int port = server.listeners().smtpPorts().get(SmtpMode.MX);
        try (Wire c = Wire.from(Wire.Protocol.SMTP, "127.0.0.2", port)) {
            Smtp.beginData(c, from, "user@example.com");
            c.write("From: <" + from + ">\r\nTo: <user@example.com>\r\nSubject: " + subject
                    + "\r\nDate: Mon, 7 Dec 2026 02:00:00 +0000\r\nMessage-ID: <" + subject.hashCode()
                    + "@x.example>\r\n\r\n" + text + "\r\n");
            return Smtp.endData(c);
        }
    }

    private static List<String> messages(MailfleetServer server, String folder, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<MessageMeta> got = server.node().mailboxes().messages("user@example.com", folder)
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            if (got.size() >= count) {
                List<String> texts = new java.util.ArrayList<>();
                for (MessageMeta m : got) {
                    try (var in = server.blobs().open(m.blob())) {
                        texts.add(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
                return texts;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " messages in " + folder + ", found " + got.size());
            }
            Thread.sleep(50);
        }
    }
}
