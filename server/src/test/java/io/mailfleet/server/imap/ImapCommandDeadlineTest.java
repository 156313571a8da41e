package io.mailfleet.server.imap;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 finding 7 on IMAP: the inactivity timeout counts whole lines, also after COMPRESS=DEFLATE
 * (where it must count inflated lines, not LF bytes of the compressed stream). A 2 s timeout stands
 * in for the 30 minutes.
 */
class ImapCommandDeadlineTest {

    @TempDir
    static Path data;
    static MailfleetServer server;
    static ExecutorService executor;
    static TlsContextProvider tls;
    static ImapServer imap;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.env(data, Map.of()), new FirstAccount("user@example.com", "secret", false));
        executor = Executors.newFixedThreadPool(2);
        tls = TlsContextProvider.start(TlsSettings.none());
        ImapServices services = new ImapServices(new DirectoryAuthenticator(server.node().directory(), executor),
                new ClusterMailboxService(server.system(), server.blobs(), executor), server.blobs(),
                server.node().directory(), tls);
        imap = ImapServer.start(ImapSettings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0)
                .withIdleTimeout(Duration.ofSeconds(2)), services);
    }

    @AfterAll
    static void stop() {
        imap.close();
        tls.close();
        server.close();
        executor.shutdownNow();
    }

    private static Wire login() throws Exception {
        Wire c = Wire.imap(imap.port());
        List<String> r = c.command("L", "LOGIN user@example.com secret");
        assertTrue(Wire.last(r).startsWith("L OK"), r.toString());
        return c;
    }

    @Test
    void aLoggedInClientTricklingBytesIsLoggedOutAfterTheTimeout() throws Exception {
        try (Wire c = login()) {
            byte[] trickle = "a SEARCH SUBJECT aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes();
            Thread writer = new Thread(() -> {
                try {
                    for (byte b : trickle) {
                        c.write(new String(new byte[] {b}));
                        Thread.sleep(250);
                    }
                } catch (Exception e) {
                    // closed by the server: expected
                }
            });
            writer.start();
            // the trickle lasts 16 s, eight timeouts
            assertEquals("* BYE Disconnected for inactivity.", c.line());
            assertTrue(writer.isAlive(), "logged out while the client was still trickling");
            writer.interrupt();
        }
    }

    @Test
    void compressedCommandsKeepTheSessionOpen() throws Exception {
        try (Wire c = login()) {
            assertEquals(List.of("z OK DEFLATE active."), c.command("z", "COMPRESS DEFLATE"));
            c.startCompression();
            // 6 s, three timeouts' worth, one compressed NOOP every 500 ms
            for (int i = 0; i < 12; i++) {
                assertTrue(Wire.last(c.command("n" + i, "NOOP")).startsWith("n" + i + " OK"));
                Thread.sleep(500);
            }
        }
    }
}
