package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backup of a running node while SMTP mail keeps arriving, restored by starting a second node on
 * the copy: every message accepted before the backup started is there and reads back whole (blob
 * hash checked) over IMAP; bad target directories are refused with the reason.
 */
class OnlineBackupEndToEndTest {

    @TempDir
    Path data;
    @TempDir
    Path backups;
    @TempDir
    Path restoredData;

    @Test
    void aBackupTakenUnderLoadRestoresEveryMessageAcceptedBeforeIt() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("MAILFLEET_BLOB_GC_INTERVAL", "0"));
        Path target = backups.resolve("nightly");
        int before = 25;
        AtomicInteger during = new AtomicInteger();
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            int smtp = server.listeners().smtpPorts().get(SmtpMode.MX);
            for (int i = 0; i < before; i++) {
                send(smtp, "before " + i);
            }
            awaitInbox(server, before);

            AtomicBoolean stop = new AtomicBoolean();
            Thread load = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        send(smtp, "during " + during.get());
                        during.incrementAndGet();
                    } catch (MessagingException e) {
                        return;
                    }
                }
            });
            load.start();
            CliRun run;
            try {
                run = CliRun.cli(env, "backup", target.toString());
            } finally {
                stop.set(true);
                load.join(30_000);
            }
            assertEquals(0, run.code(), run.toString());
            assertTrue(run.out().startsWith("INFO: backup written to " + target + ": journal (h2)"), run.out());
            assertTrue(Files.isRegularFile(target.resolve("journal").resolve("mailfleet.mv.db")));
            assertTrue(Files.readString(target.resolve("BACKUP.txt")).contains("journal: h2"));

            CliRun again = CliRun.cli(env, "backup", target.toString());
            assertEquals(1, again.code());
            assertTrue(again.err().contains("is not empty"), again.toString());
            CliRun inside = CliRun.cli(env, "backup", data.resolve("copy").toString());
            assertEquals(1, inside.code());
            assertTrue(inside.err().contains("is inside the data directory"), inside.toString());
        }
        assertTrue(during.get() > 0, "mail kept arriving while the backup ran");

        // restore: a node started on the copy
        Files.delete(restoredData);
        Files.move(target, restoredData);
        Map<String, String> restoredEnv = TestServers.env(restoredData, Map.of("MAILFLEET_BLOB_GC_INTERVAL", "0"));
        try (MailfleetServer restored = TestServers.start(restoredEnv, null)) {
            List<MessageMeta> inbox = awaitInbox(restored, before);
            int imap = restored.listeners().imapPorts().get(false);
            Set<String> subjects = new HashSet<>();
            try (Wire c = Wire.imap(new Socket("127.0.0.1", imap))) {
                assertTrue(Wire.last(c.command("L", "LOGIN user@example.com secret")).startsWith("L OK"));
                assertTrue(Wire.last(c.command("S", "SELECT INBOX")).startsWith("S OK"));
                for (int n = 1; n <= inbox.size(); n++) {
                    List<String> lines = c.command("F" + n, "FETCH " + n + " BODY[]");
                    assertTrue(Wire.last(lines).startsWith("F" + n + " OK"), lines.toString());
                    String body = String.join("\n", lines);
                    int at = body.indexOf("Subject: ");
                    subjects.add(body.substring(at + 9, body.indexOf('\n', at)).strip());
                }
            }
            for (int i = 0; i < before; i++) {
                assertTrue(subjects.contains("before " + i), "message 'before " + i + "' restored: " + subjects);
            }
            assertTrue(inbox.size() <= before + during.get(), inbox.size() + " messages restored");
        }
    }

    private static void send(int port, String subject) throws MessagingException {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.localhost", "client.example.org");
        MimeMessage m = new MimeMessage(Session.getInstance(p));
        m.setFrom("sender@remote.example");
        m.setRecipients(Message.RecipientType.TO, "user@example.com");
        m.setSubject(subject);
        m.setText("body of " + subject);
        Transport.send(m);
    }

    private static List<MessageMeta> awaitInbox(MailfleetServer server, int atLeast) throws Exception {
        List<MessageMeta> inbox = List.of();
        for (int i = 0; i < 300; i++) {
            inbox = server.node().mailboxes().messages("user@example.com", "INBOX").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            if (inbox.size() >= atLeast) {
                return inbox;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("INBOX holds " + inbox.size() + " messages, expected at least " + atLeast);
    }
}
