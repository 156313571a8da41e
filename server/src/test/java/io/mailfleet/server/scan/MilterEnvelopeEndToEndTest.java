package io.mailfleet.server.scan;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.ExternalTool;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real milter (a small Python milter on Debian's python3-milter, a binding of libmilter) changes the
 * envelope of mail to a real node's port 25: the recipients it adds get the message (a local one
 * delivered, an unknown one bounced, to the sender the milter set), the one it deletes does not; a
 * milter that deletes every recipient gets the message refused, and one that adds an address with no
 * domain is a failed call (its default action, tempfail).
 */
class MilterEnvelopeEndToEndTest {

    private static final List<String> ACCOUNTS = List.of("user@example.com", "kept@example.com", "added@example.com",
            "changed@example.com");

    @TempDir
    Path data;

    @Test
    void theMiltersEnvelopeChangesDecideWhereTheMessageGoes() throws Exception {
        Path python = ExternalTool.require("/usr/bin/python3", "python3");
        Process check = new ProcessBuilder(python.toString(), "-c", "import Milter").redirectErrorStream(true).start();
        assertTrue(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0,
                "python3-milter is not installed (scripts/install-test-tools.sh installs it)");
        Path dir = Files.createDirectories(data.resolveSibling(data.getFileName() + "-milter"));
        Path script = dir.resolve("envelope_milter.py");
        try (InputStream in = getClass().getResourceAsStream("/milter/envelope_milter.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path dms = Files.createDirectories(dir.resolve("dms"));
        StringBuilder accounts = new StringBuilder();
        for (String a : ACCOUNTS) {
            accounts.append(a).append('|').append(PasswordSchemes.hash("secret")).append('\n');
        }
        Files.writeString(dms.resolve("postfix-accounts.cf"), accounts.toString());
        int port = TestServers.freePort();
        try (Daemon milter = Daemon.start(List.of(python.toString(), script.toString(), String.valueOf(port)),
                dir.resolve("milter.log"), port)) {
            Map<String, String> env = ScanMail.env(data, Map.of("DMS_CONFIG_DIR", dms.toString()),
                    "mailfleet.milter.milters = [\"inet:127.0.0.1:" + port + "\"]\n"
                            + "mailfleet.scanners.breaker-failures = 1000\n");
            try (MailfleetServer server = TestServers.start(env, null)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (server.node().directory().view().accountCount() < ACCOUNTS.size() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }

                // adds added@ (NOTIFY=FAILURE) and nobody@ (unknown), deletes USER@Example.com, sender changed@
                assertTrue(send(server, "changed envelope").startsWith("250 "), milter.log());
                assertTrue(await(server, "kept@example.com", 1).get(0).contains("Subject: changed envelope"));
                assertTrue(await(server, "added@example.com", 1).get(0).contains("Subject: changed envelope"));
                // the unknown added recipient bounced to the sender the milter set, not to the one of MAIL FROM
                String bounce = await(server, "changed@example.com", 1).get(0);
                assertTrue(bounce.contains("nobody@example.com"), bounce);
                assertEquals(0, messages(server, "user@example.com").size(), "the deleted recipient got nothing");

                assertEquals("554 5.7.1 Message discarded by content filter", send(server, "drop all"));
                assertEquals("451 4.7.1 Service unavailable - try again later", send(server, "bad address"));
                assertEquals(1, messages(server, "kept@example.com").size(), "nothing queued for the refused two");
                assertEquals(0, messages(server, "user@example.com").size());
            }
        }
    }

    /** Mails {@code subject} from sender@remote.example to user@ and kept@; returns the reply to the end of data. */
    private static String send(MailfleetServer server, String subject) throws Exception {
        int port = server.listeners().smtpPorts().get(SmtpMode.MX);
        try (Wire c = Wire.from(Wire.Protocol.SMTP, "127.0.0.2", port)) {
            Smtp.beginTransaction(c, "sender@remote.example", "user@example.com");
            Smtp.command(c, "RCPT TO:<kept@example.com>", "250");
            Smtp.command(c, "DATA", "354");
            c.write(ScanMail.message(subject, "hello", null));
            return Smtp.endData(c);
        }
    }

    private static List<MessageMeta> messages(MailfleetServer server, String account) throws Exception {
        return server.node().mailboxes().messages(account, "INBOX").toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static List<String> await(MailfleetServer server, String account, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<MessageMeta> got = List.of();
        while (System.nanoTime() < deadline) {
            got = messages(server, account);
            if (got.size() >= count) {
                List<String> texts = new ArrayList<>();
                for (MessageMeta m : got) {
                    try (InputStream in = server.blobs().open(m.blob())) {
                        texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
                return texts;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " messages for " + account + ", found " + got.size());
    }
}
