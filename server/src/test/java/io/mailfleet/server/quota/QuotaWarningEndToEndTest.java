package io.mailfleet.server.quota;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-mailserver's quota-warning on a real node: mail over port 25 fills a mailbox; crossing 80 % brings
 * one warning from POSTMASTER_ADDRESS into the account's INBOX through the queue, the next message (still
 * over 80 %) none, crossing 95 % the second one, with the configured text.
 */
class QuotaWarningEndToEndTest {

    private static final String USER = "user@example.com";

    @TempDir
    Path data;

    @Test
    void eachCrossingIsWarnedOnce() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("POSTMASTER_ADDRESS", "postmaster@example.com"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(USER, "secret", false))) {
            server.node().directory().apply(new DirectoryChange.SetQuota(USER, 10_000))
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            int port = server.listeners().smtpPorts().get(SmtpMode.MX);

            send(port, QuotaAtRcptEndToEndTest.message("first", 8_200));
            List<String> texts = awaitWarnings(server, 1);
            assertTrue(texts.get(0).contains("Your mailbox is now 80% full."), texts.get(0));
            assertTrue(texts.get(0).contains("From: <postmaster@example.com>"), texts.get(0));
            assertTrue(texts.get(0).contains("To: <" + USER + ">"), texts.get(0));

            // still between 80 % and 95 %: no second warning
            long before = server.node().mailboxes().usedBytes(USER);
            send(port, QuotaAtRcptEndToEndTest.message("second", 300));
            QuotaAtRcptEndToEndTest.awaitUsage(server, before + 300);
            long used = server.node().mailboxes().usedBytes(USER);
            assertTrue(used < 9_500, "the second message leaves the mailbox under 95 %: " + used);

            // past 95 %: the second warning, and only that one more
            send(port, QuotaAtRcptEndToEndTest.message("third", (int) (9_600 - used)));
            texts = awaitWarnings(server, 2);
            assertEquals(1, texts.stream().filter(t -> t.contains("80% full")).count(), String.join("\n---\n", texts));
            assertEquals(1, texts.stream().filter(t -> t.contains("95% full")).count(), String.join("\n---\n", texts));
            assertEquals(5, server.node().mailboxes().messages(USER, "INBOX").toCompletableFuture()
                    .get(20, TimeUnit.SECONDS).size(), "three messages and two warnings");
        }
    }

    private static void send(int port, String message) throws Exception {
        try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, port, 30_000)) {
            smtp.expect("220");
            smtp.send("EHLO client.remote.example").expect("250");
            smtp.send("MAIL FROM:<a@remote.example>").expect("250");
            smtp.send("RCPT TO:<" + USER + ">").expect("250");
            smtp.send("DATA").expect("354");
            smtp.send(message + ".").expect("250 2.0.0");
            smtp.send("QUIT").expect("221");
        }
    }

    /** The texts of the quota warnings in INBOX once there are {@code count}. */
    private static List<String> awaitWarnings(MailfleetServer server, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> warnings = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            warnings.clear();
            for (MessageMeta meta : server.node().mailboxes().messages(USER, "INBOX").toCompletableFuture()
                    .get(20, TimeUnit.SECONDS)) {
                try (InputStream in = server.blobs().open(meta.blob())) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    if (text.contains("Subject: quota warning")) {
                        warnings.add(text);
                    }
                }
            }
            if (warnings.size() >= count) {
                return List.copyOf(warnings);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " quota warnings, found " + warnings.size());
    }
}
