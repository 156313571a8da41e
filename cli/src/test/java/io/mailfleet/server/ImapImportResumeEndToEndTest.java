package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import io.mailfleet.testkit.Wire;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.mailfleet.cli.CliRun.cli;

/**
 * {@code ./mailfleet import imap} resumes by UID against a third-party IMAP server (GreenMail) behind a
 * TCP relay that counts the message bodies the server sends and can cut the connection: a run cut
 * half-way and a re-run give every message exactly once, the re-run fetching only the bodies the first
 * run did not settle; after two new messages arrive on the remote, a third run fetches exactly those two;
 * a folder recreated under a new UIDVALIDITY is read whole, with a note, and only its new message imported;
 * a message larger than a whole import batch is stored before its UID is recorded as settled.
 */
class ImapImportResumeEndToEndTest {

    private static final int MESSAGES = 30;

    @TempDir
    Path data;
    private RemoteMailbox remote;
    private GreenMailUser old;
    private BodyCountingRelay relay;

    @BeforeEach
    void remote() throws Exception {
        remote = RemoteMailbox.imap();
        old = remote.user("old@remote.test", "old", "old-secret");
        for (int i = 1; i <= MESSAGES; i++) {
            old.deliver(message("message " + i));
        }
        relay = new BodyCountingRelay(remote.imapPort());
    }

    @AfterEach
    void stop() throws IOException {
        relay.close();
        remote.close();
    }

    @Test
    void aCutImportResumesByUidAndAReRunFetchesOnlyNewMail() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of());
        Path passwordFile = data.resolve("remote-password");
        Files.writeString(passwordFile, "old-secret\n");
        String[] importArgs = {"import", "imap", "--host", "127.0.0.1", "--port", Integer.toString(relay.port()),
                "--security", "none", "--user", "old", "--password-file", passwordFile.toString(),
                "--account", "new@example.com"};
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("new@example.com", "secret", false))) {
            int imap = server.listeners().imapPorts().get(false);

            // the connection dies as the 12th body starts: 11 messages are in, the rest fail this time
            relay.cutAtBody(12);
            CliRun cut = cli(env, importArgs);
            assertEquals(12, relay.bodies(), cut.toString());
            assertEquals(11, subjects(imap).size(), cut.toString());

            relay.cutAtBody(0);
            int before = relay.bodies();
            CliRun resumed = cli(env, importArgs);
            assertEquals(0, resumed.code(), resumed.toString());
            assertTrue(resumed.out().contains("INFO: imported 19 message(s)") && resumed.out().contains("11 already there"),
                    resumed.out());
            assertEquals(19, relay.bodies() - before, "only the bodies after the last settled UID are fetched again");
            Set<String> all = subjects(imap);
            assertEquals(MESSAGES, all.size(), all.toString());

            old.deliver(message("new one"));
            old.deliver(message("new two"));
            before = relay.bodies();
            CliRun again = cli(env, importArgs);
            assertEquals(0, again.code(), again.toString());
            assertTrue(again.out().contains("INFO: imported 2 message(s)") && again.out().contains(MESSAGES + " already there"),
                    again.out());
            assertEquals(2, relay.bodies() - before, "UID n+1:* only");
            Set<String> after = subjects(imap);
            assertEquals(MESSAGES + 2, after.size(), after.toString());
            assertTrue(after.contains("new one") && after.contains("new two"), after.toString());
        }
        // the remote was only read
        assertEquals(MESSAGES + 2, remote.inbox(old).getMessageCount());
    }

    @Test
    void aFolderWithANewUidValidityIsReadWholeAndNothingIsImportedTwice() throws Exception {
        ImapHostManager host = remote.host();
        MailFolder archive = host.createMailbox(old, "Archive");
        archive.appendMessage(message("archived 1"), new Flags(), new Date());
        archive.appendMessage(message("archived 2"), new Flags(), new Date());
        long firstValidity = archive.getUidValidity();
        Map<String, String> env = TestServers.env(data, Map.of());
        Path passwordFile = data.resolve("remote-password");
        Files.writeString(passwordFile, "old-secret\n");
        String[] importArgs = {"import", "imap", "--host", "127.0.0.1", "--port", Integer.toString(relay.port()),
                "--security", "none", "--user", "old", "--password-file", passwordFile.toString(),
                "--account", "new@example.com"};
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("new@example.com", "secret", false))) {
            int imap = server.listeners().imapPorts().get(false);
            CliRun first = cli(env, importArgs);
            assertEquals(0, first.code(), first.toString());
            assertTrue(first.out().contains("INFO: imported " + (MESSAGES + 2) + " message(s)"), first.out());

            // the folder is recreated on the remote (GreenMail's UIDVALIDITY is the creation second)
            host.deleteMailbox(old, "Archive");
            MailFolder again;
            do {
                again = host.createMailbox(old, "Archive");
                if (again.getUidValidity() == firstValidity) {
                    host.deleteMailbox(old, "Archive");
                    Thread.sleep(100);
                    again = null;
                }
            } while (again == null);
            again.appendMessage(message("archived 1"), new Flags(), new Date());
            again.appendMessage(message("archived 2"), new Flags(), new Date());
            again.appendMessage(message("archived 3"), new Flags(), new Date());

            int before = relay.bodies();
            CliRun second = cli(env, importArgs);
            assertEquals(0, second.code(), second.toString());
            assertTrue(second.out().contains("NOTE: 127.0.0.1:Archive: the UIDVALIDITY is " + again.getUidValidity()
                    + ", the last import saw " + firstValidity), second.out());
            assertTrue(second.out().contains("INFO: imported 1 message(s)")
                    && second.out().contains((MESSAGES + 2) + " already there"), second.out());
            assertEquals(3, relay.bodies() - before, "INBOX resumed by UID, Archive read whole");
            assertEquals(Set.of("archived 1", "archived 2", "archived 3"), subjects(imap, "Archive"));
            assertEquals(MESSAGES, subjects(imap, "INBOX").size());
        }
    }

    @Test
    void aMessageLargerThanAWholeBatchIsStoredBeforeItsUidIsRecorded() throws Exception {
        // above the importer's batch limit in bytes (16 MiB): taking it sends its batch at once
        old.deliver(large("a large one", 17 * 1024 * 1024));
        Map<String, String> env = TestServers.env(data, Map.of("POSTFIX_MESSAGE_SIZE_LIMIT", "40000000"));
        Path passwordFile = data.resolve("remote-password");
        Files.writeString(passwordFile, "old-secret\n");
        String[] importArgs = {"import", "imap", "--host", "127.0.0.1", "--port", Integer.toString(relay.port()),
                "--security", "none", "--user", "old", "--password-file", passwordFile.toString(),
                "--account", "new@example.com"};
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("new@example.com", "secret", false))) {
            int imap = server.listeners().imapPorts().get(false);
            CliRun first = cli(env, importArgs);
            assertEquals(0, first.code(), first.toString());
            assertTrue(first.out().contains("INFO: imported " + (MESSAGES + 1) + " message(s)"), first.out());
            assertTrue(subjects(imap).contains("a large one"));

            int before = relay.bodies();
            CliRun again = cli(env, importArgs);
            assertEquals(0, again.code(), again.toString());
            assertTrue(again.out().contains("INFO: imported 0 message(s)")
                    && again.out().contains((MESSAGES + 1) + " already there"), again.out());
            assertEquals(0, relay.bodies() - before, "every message, the large one too, was recorded as settled");
        }
    }

    private static MimeMessage large(String subject, int size) throws Exception {
        StringBuilder raw = new StringBuilder(size + 256).append("From: someone@remote.test\r\nTo: old@remote.test\r\n")
                .append("Subject: ").append(subject).append("\r\nMessage-ID: <large@remote.test>\r\n\r\n");
        String line = "x".repeat(76) + "\r\n";
        while (raw.length() < size) {
            raw.append(line);
        }
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    private static Set<String> subjects(int imap) throws Exception {
        return subjects(imap, "INBOX");
    }

    /** The subjects in a local folder; a duplicate fails the test. */
    private static Set<String> subjects(int imap, String folder) throws Exception {
        try (Wire c = Wire.imap(imap)) {
            c.command("l", "LOGIN new@example.com secret");
            List<String> exists = c.command("s", "EXAMINE " + folder);
            Set<String> subjects = new TreeSet<>();
            if (exists.contains("* 0 EXISTS")) {
                return subjects;
            }
            String fetched = String.join("\n", c.command("f", "FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])"));
            Matcher m = Pattern.compile("Subject: ([^\r\n]*)").matcher(fetched);
            while (m.find()) {
                String s = m.group(1).strip();
                assertTrue(subjects.add(s), "imported twice: " + s);
            }
            return subjects;
        }
    }

    private static MimeMessage message(String subject) throws Exception {
        return RemoteMailbox.message("old@remote.test", subject);
    }

    /**
     * A TCP relay to the IMAP server that counts the {@code BODY[]} items the server sends (one per message
     * body fetched) and, when told, closes the connection as the n-th one starts.
     */
    private static final class BodyCountingRelay implements AutoCloseable {
        private static final byte[] MARK = "BODY[]".getBytes(StandardCharsets.US_ASCII);

        private final int target;
        private final ServerSocket server;
        private final AtomicInteger bodies = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile int cutAt;

        BodyCountingRelay(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::accept, "relay-accept");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int bodies() {
            return bodies.get();
        }

        /** Cut the connection that carries body number {@code n} (counted over all connections); 0 never. */
        void cutAtBody(int n) {
            cutAt = n;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream, false);
                    pump(upstream, client, true);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to, boolean fromServer) {
            Thread t = new Thread(() -> {
                int matched = 0;
                byte[] buf = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        if (fromServer) {
                            for (int i = 0; i < n; i++) {
                                matched = buf[i] == MARK[matched] ? matched + 1 : buf[i] == MARK[0] ? 1 : 0;
                                if (matched == MARK.length) {
                                    matched = 0;
                                    if (bodies.incrementAndGet() == cutAt) {
                                        out.write(buf, 0, i); // up to the item's name, never its bytes
                                        out.flush();
                                        from.close();
                                        to.close();
                                        return;
                                    }
                                }
                            }
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the other direction closed, or the relay was cut
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                closeQuietly(s);
            }
        }
    }
}
