package io.mailfleet.server.imap;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.SubjectTerm;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IMAP against a real node: Angus client over STARTTLS, raw sessions, concurrency and bad input. */
class ImapEndToEndTest {

    @TempDir
    static Path data;
    static MailfleetServer server;
    static ExecutorService executor;
    static TlsContextProvider tls;
    static ImapServer strict;
    static ImapServer loopback;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.env(data, Map.of()), new FirstAccount("user@example.com", "secret", false));
        server.node().directory().apply(new DirectoryChange.AddAccount("other@example.com", PasswordSchemes.hash("pw")))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        executor = Executors.newFixedThreadPool(4);
        tls = TlsContextProvider.start(TlsSettings.selfSigned("mail.example.com", data));
        ImapServices services = new ImapServices(new DirectoryAuthenticator(server.node().directory(), executor),
                new ClusterMailboxService(server.system(), server.blobs(), executor), server.blobs(),
                server.node().directory(), tls);
        strict = ImapServer.start(ImapSettings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0),
                services);
        loopback = ImapServer.start(ImapSettings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0)
                .withPlaintextOnLoopback(true).withAppendLimit(1_000_000), services);
    }

    @AfterAll
    static void stop() {
        strict.close();
        loopback.close();
        tls.close();
        server.close();
        executor.shutdownNow();
    }

    static Wire login(String user) throws Exception {
        Wire c = Wire.imap(loopback.port());
        List<String> r = c.command("L", "LOGIN " + user + " " + (user.startsWith("user") ? "secret" : "pw"));
        assertTrue(Wire.last(r).startsWith("L OK"), r.toString());
        return c;
    }

    @Test
    void plaintextLoginNeedsTlsAndWrongPasswordFails() throws Exception {
        try (Wire c = Wire.imap(strict.port())) {
            assertTrue(c.greeting().contains("LOGINDISABLED") && c.greeting().contains("STARTTLS"), c.greeting());
            assertEquals("a NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
                    Wire.last(c.command("a", "LOGIN user@example.com secret")));
        }
        try (Wire c = Wire.imap(loopback.port())) {
            assertEquals("a NO [AUTHENTICATIONFAILED] Authentication failed.",
                    Wire.last(c.command("a", "LOGIN user@example.com wrong")));
            List<String> r = c.command("b", "AUTHENTICATE PLAIN "
                    + java.util.Base64.getEncoder().encodeToString("\0user@example.com\0secret".getBytes()));
            assertTrue(Wire.last(r).startsWith("b OK"), r.toString());
            assertTrue(Wire.last(r).contains("UIDPLUS"), r.toString());
        }
    }

    @Test
    void angusOverStartTlsAppendsFetchesSearchesCopiesMovesAndExpunges() throws Exception {
        Properties p = new Properties();
        p.put("mail.imap.starttls.enable", "true");
        p.put("mail.imap.starttls.required", "true");
        p.put("mail.imap.ssl.trust", "*");
        p.put("mail.imap.ssl.checkserveridentity", "false");
        p.put("mail.imap.timeout", "20000");
        p.put("mail.imap.connectiontimeout", "20000");
        p.put("mail.imap.port", Integer.toString(strict.port()));
        Session session = Session.getInstance(p);
        Store store = session.getStore("imap");
        store.connect("127.0.0.1", "user@example.com", "secret");
        try {
            List<String> names = Arrays.stream(store.getDefaultFolder().list("*")).map(Folder::getFullName).toList();
            assertTrue(names.containsAll(List.of("INBOX", "Drafts", "Sent", "Junk", "Trash")), names.toString());

            Folder created = store.getFolder("Projects/2024 Été");
            assertTrue(created.create(Folder.HOLDS_MESSAGES));
            assertTrue(store.getFolder("Projects").exists());

            IMAPFolder drafts = (IMAPFolder) store.getFolder("Drafts");
            drafts.open(Folder.READ_WRITE);
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress("a@example.org", "Änne"));
            m.setRecipients(Message.RecipientType.TO, "user@example.com");
            m.setSubject("Grüße aus Köln", "UTF-8");
            m.setText("hello body text with needle inside", "UTF-8");
            m.saveChanges();
            AppendUID[] uids = drafts.appendUIDMessages(new Message[] {m});
            assertNotNull(uids[0]);
            assertEquals(1, drafts.getMessageCount());
            Message got = drafts.getMessage(1);
            assertEquals("Grüße aus Köln", got.getSubject());
            assertEquals("Änne", ((InternetAddress) got.getFrom()[0]).getPersonal());
            assertTrue(((String) got.getContent()).contains("needle"));
            assertEquals(1, drafts.search(new SubjectTerm("Köln")).length);
            assertEquals(uids[0].uid, drafts.getUID(got));

            got.setFlag(Flags.Flag.FLAGGED, true);
            assertTrue(drafts.getMessage(1).isSet(Flags.Flag.FLAGGED));
            drafts.copyMessages(new Message[] {got}, created);
            drafts.moveMessages(new Message[] {got}, store.getFolder("Trash"));
            // Angus keeps expunged Message objects (its count stays until Folder.expunge); the EXPUNGE
            // the server sent with the MOVE is what marks the message gone.
            assertTrue(got.isExpunged(), "MOVE reported the EXPUNGE to the session that moved");
            drafts.close(true);

            Folder trash = store.getFolder("Trash");
            trash.open(Folder.READ_WRITE);
            assertEquals(1, trash.getMessageCount());
            assertTrue(trash.getMessage(1).isSet(Flags.Flag.FLAGGED));
            trash.getMessage(1).setFlag(Flags.Flag.DELETED, true);
            trash.expunge();
            assertEquals(0, trash.getMessageCount());
            trash.close(false);

            created.open(Folder.READ_ONLY);
            assertEquals(1, created.getMessageCount());
            created.close(false);
            assertTrue(created.renameTo(store.getFolder("Archive")));
            assertTrue(store.getFolder("Archive").exists());
        } finally {
            store.close();
        }
    }

    @Test
    void smtpDeliveryIsVisibleWithEnvelopeAndPartialFetch() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(server.listeners().smtpPorts().get(SmtpMode.MX)));
        p.put("mail.smtp.localhost", "client.example.org");
        Session s = Session.getInstance(p);
        for (int i = 0; i < 200 && server.node().directory().view().account("other@example.com").isEmpty(); i++) {
            Thread.sleep(50);
        }
        MimeMessage m = new MimeMessage(s);
        m.setFrom("sender@remote.example");
        m.setRecipients(Message.RecipientType.TO, "other@example.com");
        m.setSubject("delivered");
        m.setText("0123456789abcdef");
        Transport.send(m);
        try (Wire c = login("other@example.com")) {
            List<String> sel = List.of();
            for (int i = 0; i < 200; i++) {
                sel = c.command("s" + i, "SELECT INBOX");
                if (sel.contains("* 1 EXISTS")) {
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(sel.contains("* 1 EXISTS"), sel.toString());
            List<String> f = c.command("f", "FETCH 1 (ENVELOPE BODY.PEEK[TEXT]<2.5> BODY.PEEK[HEADER.FIELDS (SUBJECT)] FLAGS)");
            String line = f.get(0);
            assertTrue(line.contains("\"delivered\""), line);
            assertTrue(line.contains("BODY[TEXT]<2> {5}\r\n23456"), line);
            assertTrue(line.contains("BODY[HEADER.FIELDS (SUBJECT)] {22}\r\nSubject: delivered\r\n\r\n"), line);
            assertTrue(line.contains("\\Recent"), line);
            assertTrue(Wire.last(c.command("g", "FETCH 1 BODY[]")).startsWith("g OK"));
            assertTrue(c.command("h", "FETCH 1 FLAGS").get(0).contains("\\Seen"));
        }
    }

    @Test
    void otherSessionsSeeChangesAndRecentGoesToOneSession() throws Exception {
        try (Wire a = login("user@example.com"); Wire b = login("user@example.com");
             Wire idle = login("user@example.com")) {
            a.command("c", "CREATE Shared");
            assertTrue(Wire.last(a.command("s", "SELECT Shared")).startsWith("s OK [READ-WRITE]"));
            assertTrue(Wire.last(idle.command("s", "SELECT Shared")).startsWith("s OK"));
            idle.write("i IDLE\r\n");
            assertEquals("+ idling", idle.line());

            b.write("p APPEND Shared (\\Flagged) {12+}\r\nSubject: x\r\n\r\n");
            List<String> ap = b.untilTagged("p");
            assertTrue(Wire.last(ap).matches("p OK \\[APPENDUID \\d+ \\d+\\] Append completed\\."), ap.toString());

            String pushed = idle.imapResponse();
            assertEquals("* 1 EXISTS", pushed);
            idle.write("DONE\r\n");
            List<String> done = idle.untilTagged("i");
            assertTrue(Wire.last(done).startsWith("i OK"), done.toString());

            List<String> noop = a.command("n", "NOOP");
            assertTrue(noop.contains("* 1 EXISTS"), noop.toString());
            String fa = String.join("|", a.command("fa", "FETCH 1 FLAGS"));
            String fi = String.join("|", idle.command("fi", "FETCH 1 FLAGS"));
            assertEquals(1, (fa.contains("\\Recent") ? 1 : 0) + (fi.contains("\\Recent") ? 1 : 0), fa + " / " + fi);

            assertTrue(Wire.last(b.command("s", "SELECT Shared")).startsWith("s OK"));
            b.command("st", "STORE 1 +FLAGS.SILENT (\\Deleted $Important)");
            // The change reaches session a asynchronously; it must arrive with a later command.
            List<String> seen = new java.util.ArrayList<>();
            for (int i = 0; i < 100 && seen.stream().noneMatch(l -> l.contains("FLAGS (") && l.contains("\\Deleted")
                    && l.contains("$Important")); i++) {
                seen.addAll(a.command("n2" + i, i == 0 ? "FETCH 1 UID" : "NOOP"));
                Thread.sleep(i == 0 ? 0 : 20);
            }
            assertTrue(seen.stream().anyMatch(l -> l.contains("FLAGS (") && l.contains("\\Deleted")
                    && l.contains("$Important")), seen.toString());
            assertTrue(Wire.last(b.command("x", "EXPUNGE")).startsWith("x OK"));
            List<String> fetchDuring = a.command("n3", "FETCH 1:* UID");
            assertTrue(fetchDuring.stream().noneMatch(l -> l.endsWith("EXPUNGE")), fetchDuring.toString());
            List<String> after = a.command("n4", "NOOP");
            assertTrue(after.contains("* 1 EXPUNGE"), after.toString());
        }
    }

    @Test
    void moveIsExpungedInTheMovingSessionAndInOthersIncludingIdle() throws Exception {
        try (Wire a = login("user@example.com"); Wire b = login("user@example.com");
             Wire idle = login("user@example.com")) {
            a.command("c", "CREATE MoveSrc");
            a.command("c2", "CREATE MoveDst");
            a.command("s", "SELECT MoveSrc");
            for (int i = 0; i < 3; i++) {
                assertTrue(Wire.last(a.command("ap" + i, "APPEND MoveSrc {13+}\r\nSubject: m" + i + "\r\n\r\n"))
                        .startsWith("ap" + i + " OK"));
            }
            a.command("n", "NOOP");
            assertEquals(List.of("* SEARCH 1 2 3"), a.command("q0", "SEARCH ALL").subList(0, 1));
            assertTrue(b.command("s", "SELECT MoveSrc").contains("* 3 EXISTS"));
            assertTrue(idle.command("s", "SELECT MoveSrc").contains("* 3 EXISTS"));
            idle.write("i IDLE\r\n");
            assertEquals("+ idling", idle.line());

            List<String> moved = a.command("m", "MOVE 2 MoveDst");
            assertEquals(List.of("* 2 EXPUNGE", "m OK Move completed."), moved.subList(1, 3), moved.toString());
            assertTrue(moved.get(0).startsWith("* OK [COPYUID "), moved.toString());
            assertEquals(List.of("* SEARCH 1 2"), a.command("q", "SEARCH ALL").subList(0, 1));
            assertTrue(Wire.last(a.command("f", "FETCH 3 FLAGS")).startsWith("f BAD"));

            assertEquals("* 2 EXPUNGE", idle.imapResponse());
            idle.write("DONE\r\n");
            assertTrue(Wire.last(idle.untilTagged("i")).startsWith("i OK"));

            // Not during FETCH (the sequence numbers must not move under the client), then at NOOP.
            List<String> during = b.command("f", "FETCH 1:* (UID)");
            assertEquals(4, during.size(), during.toString());
            assertTrue(during.stream().noneMatch(l -> l.endsWith("EXPUNGE")), during.toString());
            assertEquals(List.of("* 2 EXPUNGE", "n OK NOOP completed."), b.command("n", "NOOP"));
            assertEquals(List.of("* SEARCH 1 3"), b.command("q", "UID SEARCH ALL").subList(0, 1));
        }
    }

    @Test
    void badInputGetsBadAndTheSessionSurvives() throws Exception {
        try (Wire c = login("user@example.com")) {
            c.command("s", "SELECT INBOX");
            assertTrue(Wire.last(c.command("a1", "FETCH 1:2 (FLAGS")).startsWith("a1 BAD"));
            assertTrue(Wire.last(c.command("a2", "FETCH 1:x FLAGS")).startsWith("a2 BAD"));
            assertTrue(Wire.last(c.command("a3", "UID FETCH 0,,3 FLAGS")).startsWith("a3 BAD"));
            assertTrue(Wire.last(c.command("a4", "SELECT &Jjo")).startsWith("a4 BAD"));
            assertTrue(Wire.last(c.command("a5", "SEARCH " + "NOT ".repeat(100) + "ALL")).startsWith("a5 BAD"));
            assertTrue(Wire.last(c.command("a6", "SEARCH ((((SEEN)")).startsWith("a6 BAD"));
            assertTrue(Wire.last(c.command("a7", "FROBNICATE")).startsWith("a7 BAD"));
            assertTrue(Wire.last(c.command("a8", "APPEND INBOX {999999999}")).startsWith("a8 NO [TOOBIG]"));
            assertTrue(Wire.last(c.command("a9", "LOGIN {99999999}")).startsWith("a9 BAD"));
            c.write("b(ad LIST \"\" *\r\n");
            assertTrue(c.imapResponse().startsWith("* BAD"));
            c.write("x" + "A".repeat(70_000) + "\r\n");
            assertTrue(c.imapResponse().startsWith("* BAD"));
            c.write("c APPEND INBOX {2000000+}\r\n");
            c.write(new byte[2_000_000]);
            c.write("\r\n");
            assertTrue(c.untilTagged("c").get(0).startsWith("c NO [TOOBIG]"));
            assertTrue(Wire.last(c.command("z", "NOOP")).startsWith("z OK"));
        }
    }

    @Test
    void statusQuotaNamespaceAndListSpecialUse() throws Exception {
        try (Wire c = login("user@example.com")) {
            List<String> list = c.command("l", "LIST \"\" \"%\"");
            assertTrue(list.contains("* LIST (\\HasNoChildren \\Trash \\Subscribed) \"/\" \"Trash\""), list.toString());
            assertTrue(list.stream().anyMatch(l -> l.contains("\"INBOX\"")), list.toString());
            List<String> st = c.command("st", "STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT)");
            assertTrue(st.get(0).startsWith("* STATUS \"INBOX\" (MESSAGES "), st.toString());
            List<String> q = c.command("q", "GETQUOTAROOT INBOX");
            assertTrue(q.contains("* QUOTAROOT \"INBOX\" \"\""), q.toString());
            List<String> ns = c.command("ns", "NAMESPACE");
            assertEquals("* NAMESPACE ((\"\" \"/\")) NIL NIL", ns.get(0));
            assertTrue(Wire.last(c.command("d", "DELETE INBOX")).startsWith("d NO"));
            byte[] payload = "Subject: lit\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
            c.write("ap APPEND INBOX {" + payload.length + "}\r\n");
            assertTrue(c.line().startsWith("+"));
            c.write(payload);
            c.write("\r\n");
            assertTrue(Wire.last(c.untilTagged("ap")).startsWith("ap OK [APPENDUID"));
        }
    }
}
