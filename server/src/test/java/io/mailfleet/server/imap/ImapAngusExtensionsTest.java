package io.mailfleet.server.imap;

import io.mailfleet.core.imap.ModifiedUtf7;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Quota;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.event.MailEvent;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.MessageVanishedEvent;
import org.eclipse.angus.mail.imap.ResyncData;
import org.eclipse.angus.mail.imap.SortTerm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IMAP extensions as the Angus (Jakarta Mail) client uses them, through a real socket against
 * the IMAP listener of a real node configured by environment variables: IDLE, UIDPLUS
 * (COPYUID/MOVE with COPYUID/UID EXPUNGE), CONDSTORE and QRESYNC, SORT, QUOTA, SPECIAL-USE,
 * NAMESPACE, ID, COMPRESS=DEFLATE and UTF8=ACCEPT (which Angus enables by itself when advertised).
 */
class ImapAngusExtensionsTest {

    @TempDir
    static Path data;
    static MailfleetServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.env(data, Map.of("MAILFLEET_IMAP_UTF8_ACCEPT", "true",
                        "MAILFLEET_IMAP_AUTH_CACHE_TTL", "0", "ENABLE_QUOTAS", "1",
                        "POSTFIX_MAILBOX_SIZE_LIMIT", "10240000")),
                new FirstAccount("user@example.com", "secret", false));
        port = server.listeners().imapPorts().get(false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A connected store; the client's protocol trace goes to {@code trace} when not null. */
    static Store connect(ByteArrayOutputStream trace, String... extra) throws MessagingException {
        Properties p = new Properties();
        p.put("mail.imap.port", Integer.toString(port));
        p.put("mail.imap.timeout", "20000");
        p.put("mail.imap.connectiontimeout", "20000");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        Session session = Session.getInstance(p);
        if (trace != null) {
            session.setDebugOut(new PrintStream(trace, true, StandardCharsets.UTF_8));
            session.setDebug(true);
        }
        Store store = session.getStore("imap");
        store.connect("127.0.0.1", "user@example.com", "secret");
        return store;
    }

    static MimeMessage message(String subject, String body) throws MessagingException {
        MimeMessage m = new MimeMessage((Session) null);
        m.setFrom("sender@example.org");
        m.setRecipients(Message.RecipientType.TO, "user@example.com");
        m.setSubject(subject, "UTF-8");
        m.setText(body, "UTF-8");
        m.saveChanges();
        return m;
    }

    static IMAPFolder folder(Store store, String name) throws MessagingException {
        IMAPFolder f = (IMAPFolder) store.getFolder(name);
        if (!f.exists()) {
            assertTrue(f.create(Folder.HOLDS_MESSAGES), name);
        }
        return f;
    }

    @Test
    void configuredListenerRunsWithTheConfiguredLoginCacheAndUtf8() {
        assertEquals(Duration.ZERO, server.listeners().imapSettings().get(false).authCacheTtl());
        assertTrue(server.listeners().imapSettings().get(false).utf8Accept());
    }

    @Test
    void idleReturnsWhenAnotherSessionAppends() throws Exception {
        Store store = connect(null);
        Store other = connect(null);
        try {
            IMAPFolder f = folder(store, "IdleBox");
            f.open(Folder.READ_WRITE);
            assertEquals(0, f.getMessageCount());
            CountDownLatch added = new CountDownLatch(1);
            f.addMessageCountListener(new MessageCountAdapter() {
                @Override
                public void messagesAdded(MessageCountEvent e) {
                    added.countDown();
                }
            });
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread idler = new Thread(() -> {
                try {
                    f.idle(true);
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            idler.start();
            other.getFolder("IdleBox").appendMessages(new Message[] {message("pushed", "x")});
            assertTrue(added.await(20, TimeUnit.SECONDS), "EXISTS reached the idling client");
            idler.join(20_000);
            assertFalse(idler.isAlive(), "idle(true) returned after the notification");
            assertNull(failure.get());
            assertEquals("pushed", f.getMessage(1).getSubject());
            f.close(false);
        } finally {
            other.close();
            store.close();
        }
    }

    @Test
    void uidplusCopyAndMoveReportTheNewUidsAndUidExpungeRemovesOnlyTheGivenMessages() throws Exception {
        Store store = connect(null);
        try {
            IMAPFolder src = folder(store, "UidSrc");
            IMAPFolder dst = folder(store, "UidDst");
            src.appendMessages(new Message[] {message("one", "1"), message("two", "2"),
                    message("three", "3")});
            src.open(Folder.READ_WRITE);
            long validity = dst.getUIDValidity();

            AppendUID[] copied = src.copyUIDMessages(new Message[] {src.getMessage(1), src.getMessage(2)}, dst);
            assertEquals(2, copied.length);
            assertEquals(validity, copied[0].uidvalidity);
            AppendUID[] moved = src.moveUIDMessages(new Message[] {src.getMessage(3)}, dst);
            dst.open(Folder.READ_ONLY);
            assertEquals("one", dst.getMessageByUID(copied[0].uid).getSubject());
            assertEquals("two", dst.getMessageByUID(copied[1].uid).getSubject());
            assertEquals("three", dst.getMessageByUID(moved[0].uid).getSubject());
            assertTrue(copied[1].uid < moved[0].uid, "UIDs only grow");
            assertTrue(src.getMessage(3).isExpunged());

            // UID EXPUNGE: message 1 is deleted and expunged, message 2 is \Deleted but not in the set.
            src.getMessage(1).setFlag(Flags.Flag.DELETED, true);
            src.getMessage(2).setFlag(Flags.Flag.DELETED, true);
            Message[] gone = src.expunge(new Message[] {src.getMessage(1)});
            assertEquals(1, gone.length);
            src.close(false);
            src.open(Folder.READ_ONLY);
            assertEquals(1, src.getMessageCount());
            assertEquals("two", src.getMessage(1).getSubject());
            src.close(false);
            dst.close(false);
        } finally {
            store.close();
        }
    }

    @Test
    void condstoreAndQresyncResynchroniseAClosedFolder() throws Exception {
        Store store = connect(null);
        try {
            IMAPFolder f = folder(store, "Resync");
            f.appendMessages(new Message[] {message("a", "1"), message("b", "2"),
                    message("c", "3")});
            f.open(Folder.READ_WRITE, ResyncData.CONDSTORE);
            long validity = f.getUIDValidity();
            long modseq = f.getHighestModSeq();
            assertTrue(modseq > 0);
            long uidA = f.getUID(f.getMessage(1));
            long uidB = f.getUID(f.getMessage(2));
            f.close(false);

            // Another session flags a and expunges b while this client is away.
            Store other = connect(null);
            IMAPFolder o = (IMAPFolder) other.getFolder("Resync");
            o.open(Folder.READ_WRITE);
            o.getMessage(1).setFlag(Flags.Flag.FLAGGED, true);
            o.getMessage(2).setFlag(Flags.Flag.DELETED, true);
            o.expunge();
            o.close(false);
            other.close();

            List<MailEvent> events = f.open(Folder.READ_WRITE, new ResyncData(validity, modseq));
            long[] vanished = events.stream().filter(e -> e instanceof MessageVanishedEvent)
                    .flatMapToLong(e -> Arrays.stream(((MessageVanishedEvent) e).getUIDs())).toArray();
            assertArrayEquals(new long[] {uidB}, vanished, events.toString());
            assertTrue(f.getHighestModSeq() > modseq);
            Message[] changed = f.getMessagesByUIDChangedSince(1, UIDFolder.LASTUID, modseq);
            assertEquals(1, changed.length);
            assertEquals(uidA, f.getUID(changed[0]));
            assertTrue(changed[0].isSet(Flags.Flag.FLAGGED));
            assertEquals(2, f.getMessageCount());
            f.close(false);
        } finally {
            store.close();
        }
    }

    @Test
    void sortByServerOrdersBySubjectSizeAndReverseWithinASearch() throws Exception {
        Store store = connect(null);
        try {
            IMAPFolder f = folder(store, "Sorting");
            f.appendMessages(new Message[] {message("Re: banana", "x".repeat(300)),
                    message("apple", "x".repeat(10)), message("cherry", "x".repeat(100))});
            f.open(Folder.READ_WRITE);
            assertEquals(List.of("apple", "Re: banana", "cherry"),
                    subjects(f.getSortedMessages(new SortTerm[] {SortTerm.SUBJECT})));
            assertEquals(List.of("Re: banana", "cherry", "apple"),
                    subjects(f.getSortedMessages(new SortTerm[] {SortTerm.REVERSE, SortTerm.SIZE})));
            f.getMessage(2).setFlag(Flags.Flag.SEEN, true);
            assertEquals(List.of("cherry", "Re: banana"), subjects(f.getSortedMessages(
                    new SortTerm[] {SortTerm.REVERSE, SortTerm.SUBJECT}, new FlagTerm(new Flags(Flags.Flag.SEEN), false))));
            f.close(false);
        } finally {
            store.close();
        }
    }

    private static List<String> subjects(Message[] messages) throws MessagingException {
        String[] out = new String[messages.length];
        for (int i = 0; i < messages.length; i++) {
            out[i] = messages[i].getSubject();
        }
        return List.of(out);
    }

    @Test
    void quotaSpecialUseNamespaceAndId() throws Exception {
        IMAPStore store = (IMAPStore) connect(null);
        try {
            Quota[] quotas = store.getQuota("INBOX");
            assertEquals(1, quotas.length);
            assertEquals("", quotas[0].quotaRoot);
            assertEquals("STORAGE", quotas[0].resources[0].name);
            assertEquals(10240000 / 1024, quotas[0].resources[0].limit);

            for (Map.Entry<String, String> e : Map.of("Sent", "\\Sent", "Drafts", "\\Drafts", "Junk", "\\Junk",
                    "Trash", "\\Trash").entrySet()) {
                List<String> attrs = List.of(((IMAPFolder) store.getFolder(e.getKey())).getAttributes());
                assertTrue(attrs.contains(e.getValue()), e.getKey() + " " + attrs);
            }
            assertFalse(List.of(((IMAPFolder) store.getFolder("INBOX")).getAttributes()).contains("\\Sent"));

            Folder[] personal = store.getPersonalNamespaces();
            assertEquals(1, personal.length);
            assertEquals("", personal[0].getFullName());
            assertEquals('/', personal[0].getSeparator());
            assertEquals(0, store.getSharedNamespaces().length);

            Map<String, String> id = store.id(Map.of("name", "angus-test", "version", "1"));
            assertEquals("Mailfleet", id.get("name"));
        } finally {
            store.close();
        }
    }

    @Test
    void compressDeflateCarriesALargeFetch() throws Exception {
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        Store store = connect(trace, "mail.imap.compress.enable", "true");
        try {
            String body = "line of a long and very compressible body text\r\n".repeat(2000);
            IMAPFolder f = folder(store, "Compressed");
            f.appendMessages(new Message[] {message("big", body)});
            f.open(Folder.READ_ONLY);
            String got = (String) f.getMessage(f.getMessageCount()).getContent();
            assertEquals(body, got);
            f.close(false);
        } finally {
            store.close();
        }
        String t = trace.toString(StandardCharsets.UTF_8);
        assertTrue(t.matches("(?s).*\\n([A-Z]+\\d+) COMPRESS DEFLATE\\r?\\n\\1 OK .*"), "COMPRESS negotiated:\n" + t);
    }

    @Test
    void utf8FolderNamesTravelAsUtf8AndLegacyClientsSeeModifiedUtf7() throws Exception {
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        Store store = connect(trace);
        try {
            Folder f = store.getFolder("Données/日本語");
            assertTrue(f.create(Folder.HOLDS_MESSAGES));
            f.appendMessages(new Message[] {message("Grüße", "hallo")});
            assertEquals(1, f.getMessageCount(), "STATUS with a UTF-8 name");
            assertTrue(f.renameTo(store.getFolder("Données/Ελληνικά")));
            List<String> names = Arrays.stream(store.getFolder("Données").list("*")).map(Folder::getFullName).toList();
            assertEquals(List.of("Données/Ελληνικά"), names);
            Folder renamed = store.getFolder("Données/Ελληνικά");
            renamed.open(Folder.READ_ONLY);
            assertEquals("Grüße", renamed.getMessage(1).getSubject());
            renamed.close(false);
        } finally {
            store.close();
        }
        String t = trace.toString(StandardCharsets.UTF_8);
        assertTrue(t.contains(" ENABLE UTF8=ACCEPT") && t.contains("* ENABLED UTF8=ACCEPT"), t);
        assertTrue(t.contains("CREATE \"Données/日本語\""), "the name went as UTF-8, not modified UTF-7:\n" + t);

        // Without ENABLE (a client that does not know RFC 6855) the same folder is modified UTF-7.
        try (Wire raw = Wire.imap(port)) {
            assertTrue(Wire.last(raw.command("l", "LOGIN user@example.com secret")).startsWith("l OK"));
            List<String> list = raw.command("li", "LIST \"\" \"Donn*\"");
            String wire = ModifiedUtf7.encode("Données/Ελληνικά");
            assertTrue(wire.startsWith("Donn&AOk-es/&"), wire);
            assertTrue(list.contains("* LIST (\\HasNoChildren) \"/\" \"" + wire + "\""), list.toString());
        }
    }
}
