package io.mailfleet.server;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.protocols.smtp.SmtpMode;
import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mail sent with a real SMTP client to a real node lands in the mailbox, through aliases, and survives restart. */
class SmtpDeliveryEndToEndTest {

    @TempDir
    Path data;

    @Test
    void mailReachesMailboxesAndSurvivesRestart() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of());
        List<String> uidsBefore;
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            server.node().directory().apply(new DirectoryChange.AddAlias("alias@example.com", "user@example.com"))
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            int port = server.listeners().smtpPorts().get(SmtpMode.MX);

            send(port, "sender@remote.example", "user@example.com", "hello direct");
            send(port, "sender@remote.example", "alias@example.com", "hello via alias");
            send(port, "sender@remote.example", "user+news@example.com", "hello subaddress");
            SendFailedException unknown = assertThrows(SendFailedException.class,
                    () -> send(port, "sender@remote.example", "nobody@example.com", "x"));
            assertTrue(String.valueOf(unknown.getNextException()).contains("550 5.1.1"), unknown.toString());

            List<MessageMeta> inbox = awaitInbox(server, "user@example.com", 3);
            // Separate transactions are delivered concurrently (Sieve runs first), so find by subject.
            boolean direct = false;
            for (MessageMeta meta : inbox) {
                try (InputStream in = server.blobs().open(meta.blob())) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(text.startsWith("Received: from "), text);
                    direct |= text.contains("Subject: hello direct");
                }
            }
            assertTrue(direct, "the direct message is in INBOX");
            uidsBefore = inbox.stream().map(m -> Long.toString(m.uid())).toList();

            // The same mail read back by a real IMAP client through the node's own listener.
            Properties p = new Properties();
            p.put("mail.imap.connectiontimeout", "10000");
            p.put("mail.imap.timeout", "30000");
            jakarta.mail.Store store = Session.getInstance(p).getStore("imap");
            store.connect("127.0.0.1", server.listeners().imapPorts().get(false), "user@example.com", "secret");
            try {
                jakarta.mail.Folder folder = store.getFolder("INBOX");
                folder.open(jakarta.mail.Folder.READ_ONLY);
                assertEquals(3, folder.getMessageCount());
                List<String> subjects = new ArrayList<>();
                for (jakarta.mail.Message msg : folder.getMessages()) {
                    subjects.add(msg.getSubject());
                }
                assertTrue(subjects.contains("hello direct"), subjects.toString());
                assertTrue(store.getFolder("Junk").exists() && store.getFolder("Sent").exists());
                folder.close(false);
            } finally {
                store.close();
            }
            // And over POP3, which shares the mailbox.
            jakarta.mail.Store pop = Session.getInstance(p).getStore("pop3");
            pop.connect("127.0.0.1", server.listeners().otherPorts().get("pop3"), "user@example.com", "secret");
            try {
                jakarta.mail.Folder inboxPop = pop.getFolder("INBOX");
                inboxPop.open(jakarta.mail.Folder.READ_ONLY);
                assertEquals(3, inboxPop.getMessageCount());
                inboxPop.close(false);
            } finally {
                pop.close();
            }
            assertTrue(server.listeners().otherPorts().containsKey("managesieve"));
        }
        try (MailfleetServer again = TestServers.start(env, null)) {
            List<MessageMeta> inbox = awaitInbox(again, "user@example.com", 3);
            assertEquals(uidsBefore, inbox.stream().map(m -> Long.toString(m.uid())).toList());
            assertTrue(again.node().directory().view().account("user@example.com").isPresent());
        }
    }

    @Test
    void concurrentDeliveriesGetUniqueAscendingUids() throws Exception {
        try (MailfleetServer server = TestServers.start(TestServers.env(data, Map.of()),
                new FirstAccount("busy@example.com", "secret", false))) {
            int port = server.listeners().smtpPorts().get(SmtpMode.MX);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                sent.add(pool.submit(() -> {
                    send(port, "s" + n + "@remote.example", "busy@example.com", "message " + n);
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            List<MessageMeta> inbox = awaitInbox(server, "busy@example.com", 40);
            for (int i = 0; i < inbox.size(); i++) {
                assertEquals(i + 1, inbox.get(i).uid(), "uids are 1..N in order without gaps or repeats");
            }
        }
    }

    static void send(int port, String from, String to, String subject) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.localhost", "client.remote.example");
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "30000");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText("Body of " + subject + "\n");
        Transport.send(m);
    }

    static List<MessageMeta> awaitInbox(MailfleetServer server, String account, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<MessageMeta> got = List.of();
        while (System.nanoTime() < deadline) {
            got = server.node().mailboxes().messages(account, "INBOX").toCompletableFuture().get(20, TimeUnit.SECONDS);
            if (got.size() >= count) {
                return got;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " messages in " + account + " INBOX, found " + got.size());
    }
}
