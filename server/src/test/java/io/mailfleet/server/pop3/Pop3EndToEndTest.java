package io.mailfleet.server.pop3;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.cluster.pop3.ClusterPop3Locks;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.mailbox.AppendResult;
import io.mailfleet.core.mailbox.FlagOperation;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.pop3.Pop3Server;
import io.mailfleet.protocols.pop3.Pop3Services;
import io.mailfleet.protocols.pop3.Pop3Settings;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POP3 against a real node: Angus over STLS and implicit TLS, scripted sessions, the maildrop lock. */
class Pop3EndToEndTest {

    @TempDir
    static Path data;
    static MailfleetServer server;
    static ExecutorService executor;
    static TlsContextProvider tls;
    static TlsContextProvider noTls;
    static ClusterMailboxService mailboxes;
    static Pop3Server stls;
    static Pop3Server implicit;
    static Pop3Server clear;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.env(data, Map.of()), new FirstAccount("user@example.com", "secret", false));
        for (String a : List.of("script@example.com", "uidl@example.com", "lock@example.com", "drop@example.com")) {
            get(server.node().directory().apply(new DirectoryChange.AddAccount(a, PasswordSchemes.hash("pw"))));
        }
        executor = Executors.newFixedThreadPool(4);
        tls = TlsContextProvider.start(TlsSettings.selfSigned("mail.example.com", data));
        noTls = TlsContextProvider.start(TlsSettings.none());
        mailboxes = new ClusterMailboxService(server.system(), server.blobs(), executor);
        ClusterPop3Locks locks = ClusterPop3Locks.start(server.system());
        DirectoryAuthenticator auth = new DirectoryAuthenticator(server.node().directory(), executor);
        Pop3Services services = new Pop3Services(auth, mailboxes, server.blobs(), locks::tryLock, tls);
        stls = Pop3Server.start(Pop3Settings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0), services);
        implicit = Pop3Server.start(Pop3Settings.defaults(0, true, "mail.example.com").withBind("127.0.0.1", 0), services);
        clear = Pop3Server.start(Pop3Settings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0),
                new Pop3Services(auth, mailboxes, server.blobs(), locks::tryLock, noTls));
    }

    @AfterAll
    static void stop() {
        stls.close();
        implicit.close();
        clear.close();
        tls.close();
        noTls.close();
        server.close();
        executor.shutdownNow();
    }

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static AppendResult append(String account, String message) throws Exception {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        BlobWriter w = server.blobs().create();
        w.write(bytes, 0, bytes.length);
        BlobRef ref = get(w.commit());
        return get(mailboxes.append(account, "INBOX", ref, Instant.now(), Set.of()));
    }

    static String message(String subject, String body) {
        return "From: a@example.org\r\nTo: x@example.com\r\nSubject: " + subject + "\r\n\r\n" + body;
    }

    static List<MessageView> inbox(String account) throws Exception {
        FolderSnapshot s = get(mailboxes.select(account, "INBOX", false));
        return s.messages();
    }

    static Wire login(int port, String user) throws Exception {
        Wire c = Wire.pop3(port);
        assertEquals("+OK", c.send("USER " + user).line());
        assertEquals("+OK Logged in.", c.send("PASS pw").line());
        return c;
    }

    @Test
    void angusOverStlsAndImplicitTlsReadsTopAndDeletesAtQuit() throws Exception {
        for (int i = 1; i <= 3; i++) {
            append("user@example.com", message("Hello " + i, "line one of " + i + "\r\n.dotted line\r\nlast\r\n"));
        }
        Properties p = new Properties();
        p.put("mail.pop3.starttls.enable", "true");
        p.put("mail.pop3.starttls.required", "true");
        p.put("mail.pop3.ssl.trust", "*");
        p.put("mail.pop3.ssl.checkserveridentity", "false");
        p.put("mail.pop3.port", Integer.toString(stls.port()));
        p.put("mail.pop3.timeout", "20000");
        p.put("mail.pop3s.ssl.trust", "*");
        p.put("mail.pop3s.ssl.checkserveridentity", "false");
        p.put("mail.pop3s.port", Integer.toString(implicit.port()));
        p.put("mail.pop3s.timeout", "20000");
        Session session = Session.getInstance(p);
        List<MessageView> before = inbox("user@example.com");
        Store store = session.getStore("pop3");
        store.connect("127.0.0.1", "user@example.com", "secret");
        try {
            POP3Folder inbox = (POP3Folder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertEquals(3, inbox.getMessageCount());
            Message m2 = inbox.getMessage(2);
            assertEquals("Hello 2", m2.getSubject());
            assertEquals("line one of 2\r\n.dotted line\r\nlast\r\n", m2.getContent());
            assertEquals(before.get(1).size(), inbox.getSizes()[1], "LIST reports the exact octets");
            assertEquals(String.format("%08X%08X", before.get(1).uid(), get(mailboxes.select("user@example.com",
                    "INBOX", false)).uidValidity()), inbox.getUID(m2));
            m2.setFlag(Flags.Flag.DELETED, true);
            inbox.close(true);
        } finally {
            store.close();
        }
        List<MessageView> after = inbox("user@example.com");
        assertEquals(List.of(before.get(0).uid(), before.get(2).uid()), after.stream().map(MessageView::uid).toList());
        assertTrue(after.get(0).flags().isEmpty(), "messages not retrieved keep their flags: " + after.get(0).flags());

        Store pop3s = session.getStore("pop3s");
        pop3s.connect("127.0.0.1", "user@example.com", "secret");
        try {
            Folder inbox = pop3s.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertEquals(2, inbox.getMessageCount());
            assertEquals("Hello 3", inbox.getMessage(2).getSubject());
            inbox.close(false);
        } finally {
            pop3s.close();
        }
    }

    @Test
    void plaintextNeedsTlsCapaAndSaslAndWrongPassword() throws Exception {
        try (Wire c = Wire.pop3(stls.port())) {
            assertTrue(c.greeting().startsWith("+OK"), c.greeting());
            List<String> capa = c.pop3Multi("CAPA");
            assertTrue(capa.containsAll(List.of("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "STLS")),
                    capa.toString());
            assertTrue(!capa.contains("USER"), capa.toString());
            String refused = "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";
            assertEquals(refused, c.send("USER user@example.com").line());
            assertEquals(refused, c.send("AUTH PLAIN " + b64("\0user@example.com\0secret")).line());
            assertEquals("+OK Begin TLS negotiation now.", c.send("STLS").line());
            c.startTls();
            capa = c.pop3Multi("CAPA");
            assertTrue(capa.containsAll(List.of("USER", "SASL PLAIN LOGIN")) && !capa.contains("STLS"), capa.toString());
            assertEquals("-ERR [AUTH] Authentication failed.", c.send("AUTH PLAIN " + b64("\0user@example.com\0bad")).line());
            assertEquals("+ ", c.send("AUTH PLAIN").line());
            assertEquals("+OK Logged in.", c.send(b64("\0user@example.com\0secret")).line());
            assertEquals("+OK Logging out.", c.send("QUIT").line());
        }
        try (Wire c = Wire.pop3(clear.port())) {
            assertEquals("+OK", c.send("USER script@example.com").line());
            assertEquals("-ERR [AUTH] Authentication failed.", c.send("PASS wrong").line());
            assertEquals("+ VXNlcm5hbWU6", c.send("AUTH LOGIN").line());
            assertEquals("+ UGFzc3dvcmQ6", c.send(b64("script@example.com")).line());
            assertEquals("+OK Logged in.", c.send(b64("pw")).line());
            assertEquals("+OK Logging out.", c.send("QUIT").line());
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void scriptedSessionExactOctetsStuffingTopPipeliningBadInputAndDroppedConnection() throws Exception {
        String m1 = message("one", "first\r\n.starts with a dot\r\n..two dots\r\nthird\r\nfourth\r\n");
        String m2 = message("two", "bare\nnewline at end without CRLF");
        append("script@example.com", m1);
        append("script@example.com", m2);
        long total = m1.length() + m2.length();
        try (Wire c = login(clear.port(), "script@example.com")) {
            assertEquals("+OK 2 " + total, c.send("STAT").line());
            assertEquals(List.of("+OK 2 messages (" + total + " octets)", "1 " + m1.length(), "2 " + m2.length()),
                    c.pop3Multi("LIST"));
            assertEquals("+OK 2 " + m2.length(), c.send("LIST 2").line());

            assertEquals("+OK " + m1.length() + " octets", c.send("RETR 1").line());
            byte[] stuffed = m1.replace("\r\n.", "\r\n..").getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(stuffed, c.dotData());

            assertEquals("+OK", c.send("TOP 1 2").line());
            assertEquals("From: a@example.org\r\nTo: x@example.com\r\nSubject: one\r\n\r\nfirst\r\n..starts with a dot\r\n",
                    new String(c.dotData(), StandardCharsets.UTF_8));
            assertEquals("+OK", c.send("TOP 2 0").line());
            assertEquals("From: a@example.org\r\nTo: x@example.com\r\nSubject: two\r\n\r\n",
                    new String(c.dotData(), StandardCharsets.UTF_8));
            c.send("RETR 2").line();
            assertEquals(message("two", "bare\r\nnewline at end without CRLF\r\n"),
                    new String(c.dotData(), StandardCharsets.UTF_8), "bare LF and the missing last CRLF are fixed");

            // Pipelining: four commands in one packet, four answers in order.
            c.write("STAT\r\nUIDL 1\r\nDELE 1\r\nSTAT\r\n");
            assertEquals("+OK 2 " + total, c.line());
            assertTrue(c.line().startsWith("+OK 1 "));
            assertEquals("+OK Marked to be deleted.", c.line());
            assertEquals("+OK 1 " + m2.length(), c.line());

            assertEquals("-ERR Message is deleted.", c.send("RETR 1").line());
            assertEquals("-ERR There's no message 3.", c.send("RETR 3").line());
            assertEquals("-ERR Invalid message number: x", c.send("DELE x").line());
            assertEquals("-ERR TOP needs a message number and a line count.", c.send("TOP 2").line());
            assertTrue(c.send("FROB").line().startsWith("-ERR Unknown command"));
            assertTrue(c.send("USER again").line().startsWith("-ERR"));
            assertTrue(c.send("x".repeat(20_000)).line().startsWith("-ERR Line too long"));
            assertEquals("+OK", c.send("NOOP").line());
            // Dropped without QUIT: the DELE mark is forgotten.
        }
        TestNodes.await(() -> {
            try (Wire c = Wire.pop3(clear.port())) {
                c.send("USER script@example.com").line();
                return c.send("PASS pw").line().equals("+OK Logged in.");
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(20), "lock released after the dropped connection");
        assertEquals(2, inbox("script@example.com").size());
    }

    @Test
    void uidlStableAcrossImapSideChangesAndDeleteAtQuit() throws Exception {
        AppendResult a = append("uidl@example.com", message("a", "a\r\n"));
        AppendResult b = append("uidl@example.com", message("b", "b\r\n"));
        AppendResult c3 = append("uidl@example.com", message("c", "c\r\n"));
        List<String> first;
        try (Wire c = login(clear.port(), "uidl@example.com")) {
            first = c.pop3Multi("UIDL");
            assertEquals(List.of("+OK", "1 " + uidl(a), "2 " + uidl(b), "3 " + uidl(c3)), first);
            assertEquals("+OK Logging out.", c.send("QUIT").line());
        }
        // IMAP-side changes: a flag on one message, another expunged, a new one appended.
        get(mailboxes.store("uidl@example.com", "INBOX", List.of(a.uid()), FlagOperation.ADD, Set.of("\\Flagged"), -1));
        get(mailboxes.store("uidl@example.com", "INBOX", List.of(b.uid()), FlagOperation.ADD, Set.of("\\Deleted"), -1));
        get(mailboxes.expunge("uidl@example.com", "INBOX", List.of(b.uid())));
        AppendResult d = append("uidl@example.com", message("d", "d\r\n"));
        try (Wire c = login(clear.port(), "uidl@example.com")) {
            assertEquals(List.of("+OK", "1 " + uidl(a), "2 " + uidl(c3), "3 " + uidl(d)), c.pop3Multi("UIDL"));
            assertEquals("+OK 2 " + uidl(c3), c.send("UIDL 2").line());
            c.send("RETR 3").line();
            c.dotData();
            assertEquals("+OK Marked to be deleted.", c.send("DELE 1").line());
            assertEquals("+OK", c.send("RSET").line());
            assertEquals("+OK Marked to be deleted.", c.send("DELE 2").line());
            assertEquals("+OK Logging out, messages deleted.", c.send("QUIT").line());
            assertTrue(c.closedByServer());
        }
        List<MessageView> left = inbox("uidl@example.com");
        assertEquals(List.of(a.uid(), d.uid()), left.stream().map(MessageView::uid).toList());
        assertTrue(left.get(1).flags().contains("\\Seen"), "RETR marks \\Seen at QUIT");
        assertTrue(!left.get(0).flags().contains("\\Seen"));
    }

    static String uidl(AppendResult r) {
        return String.format("%08X%08X", r.uid(), r.uidValidity());
    }

    @Test
    void secondSessionOfTheSameMaildropIsRefusedUntilTheFirstEnds() throws Exception {
        append("lock@example.com", message("x", "x\r\n"));
        try (Wire first = login(clear.port(), "lock@example.com")) {
            try (Wire second = Wire.pop3(clear.port()); Wire third = Wire.pop3(stls.port())) {
                assertEquals("+OK", second.send("USER lock@example.com").line());
                assertEquals("-ERR [IN-USE] Mailbox is locked by another POP3 session.", second.send("PASS pw").line());
                assertEquals("+OK Begin TLS negotiation now.", third.send("STLS").line());
                third.startTls();
                assertEquals("-ERR [IN-USE] Mailbox is locked by another POP3 session.",
                        third.send("AUTH PLAIN " + b64("\0lock@example.com\0pw")).line());
                // Still in AUTHORIZATION: the client may try again.
                assertEquals("+OK", second.send("USER lock@example.com").line());
            }
            assertEquals("+OK 1 " + message("x", "x\r\n").length(), first.send("STAT").line());
            assertEquals("+OK Logging out.", first.send("QUIT").line());
        }
        TestNodes.await(() -> {
            try (Wire c = Wire.pop3(implicitPortAsClear())) {
                c.send("USER lock@example.com").line();
                return c.send("PASS pw").line().equals("+OK Logged in.");
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(20), "maildrop free after QUIT");
    }

    private static int implicitPortAsClear() {
        return clear.port();
    }

    @Test
    void theLockHoldsAcrossClusterNodes(@TempDir Path otherData) throws Exception {
        for (int i = 0; i < 4; i++) {
            append("drop@example.com", message("n" + i, "x\r\n"));
        }
        // The second node speaks the server's cluster transport (TLS with the server's own cluster
        // credentials): a node without them is refused, which is what RogueNodeTest proves.
        com.typesafe.config.Config artery = server.system().settings().config().getConfig("pekko.remote.artery");
        ActorTestKit other = ActorTestKit.create("mailfleet", com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of(
                        "pekko.remote.artery.transport", artery.getString("transport"),
                        "pekko.remote.artery.ssl", artery.getConfig("ssl").root().unwrapped()))
                .withFallback(TestNodes.config(otherData)));
        try {
            TestNodes.join(other.system(), server.system());
            TestNodes.awaitUp(other.system(), 2);
            TestNodes.awaitUp(server.system(), 2);
            ClusterPop3Locks otherLocks = ClusterPop3Locks.start(other.system());
            try (Wire c = login(clear.port(), "drop@example.com")) {
                assertTrue(get(otherLocks.tryLock("drop@example.com", "other node")).isEmpty());
                assertEquals("+OK Logging out.", c.send("QUIT").line());
            }
            Runnable[] held = new Runnable[1];
            TestNodes.await(() -> {
                held[0] = otherLocks.tryLock("drop@example.com", "other node").toCompletableFuture().join().orElse(null);
                return held[0] != null;
            }, Duration.ofSeconds(20), "the other node takes the maildrop");
            try (Wire c = Wire.pop3(clear.port())) {
                c.send("USER drop@example.com").line();
                assertEquals("-ERR [IN-USE] Mailbox is locked by another POP3 session.", c.send("PASS pw").line());
                held[0].run();
                TestNodes.await(() -> {
                    try {
                        c.send("USER drop@example.com").line();
                        return c.send("PASS pw").line().equals("+OK Logged in.");
                    } catch (Exception e) {
                        return false;
                    }
                }, Duration.ofSeconds(20), "maildrop free after the other node released it");
                assertEquals("+OK 4 " + 4 * message("n0", "x\r\n").length(), c.send("STAT").line());
            }
        } finally {
            // the second node's leave over the TLS transport once took over 30 s on an idle machine
            // (a remote stream still closing); the lock is what this test proves, so a slow
            // teardown is waited for longer and then logged by the testkit, not failed
            ActorTestKit.shutdown(other.system(), Duration.ofSeconds(60), false);
        }
    }
}
