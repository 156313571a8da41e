package io.mailfleet.server.ban;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.ban.ClusterBanService;
import io.mailfleet.cluster.directory.ClusterDirectoryService;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.cluster.mailbox.ClusterMailboxes;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.ban.BanPolicy;
import io.mailfleet.core.ban.FailureReport;
import io.mailfleet.core.ban.IpNetwork;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.persistence.blob.BlobStores;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.persistence.journal.JournalSchema;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.BannedSessionCloser;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.netty.ProxyProtocol;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 2 of issue 12 replayed on two cluster nodes in one JVM, each with real IMAP listeners behind
 * the PROXY protocol (loopback is never banned, so the header plays the outside client): a session
 * ends after 3 failed logins, each failure answered after the 2 s delay; the 6th failure bans, and the
 * ban is in force on the other node before that failure is answered; connections the address opened
 * before the ban are closed on both nodes unless logged in; the right password on a connection that
 * is still open is refused (even with IMAP's cached login), and that attempt is counted.
 */
class BanOpenSessionsClusterTest {

    private static final String USER = "victim@example.com";
    private static final String PASSWORD = "right-password";
    private static final String ATTACKER = "198.51.100.7";
    /** The failure delay is 2 s; the bound leaves room for timer granularity only. */
    private static final long MIN_FAILURE_MILLIS = 1_900;

    @TempDir
    Path data;

    private static Wire connect(int port, String clientIp) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        s.getOutputStream().write(("PROXY TCP4 " + clientIp + " 192.0.2.1 40000 143\r\n").getBytes(StandardCharsets.US_ASCII));
        Wire imap = Wire.imap(s);
        assertTrue(imap.greeting().startsWith("* OK"), "greeting");
        return imap;
    }

    /** One LOGIN and its tagged reply, with how long the reply took. */
    private record Answer(List<String> lines, long millis) {
        String tagged() {
            return Wire.last(lines);
        }
    }

    private static Answer login(Wire imap, String tag, String password) throws IOException {
        long t = System.nanoTime();
        List<String> lines = imap.command(tag, "LOGIN " + USER + " " + password);
        return new Answer(lines, (System.nanoTime() - t) / 1_000_000);
    }

    private static void assertClosed(Wire imap, String what) {
        IOException e = assertThrows(IOException.class, imap::line, what + " should be closed");
        assertTrue(e.getMessage() == null || e.getMessage().contains("closed") || e.getMessage().contains("reset"),
                what + ": " + e);
    }

    /** Three wrong passwords: delayed NOs, then BYE and the end of the connection. */
    private static void threeFailures(int port, String round) throws IOException {
        try (Wire g = connect(port, ATTACKER)) {
            twoFailures(g, round);
            Answer a = login(g, round + 3, "guess-" + round + 3);
            assertEquals(round + 3 + " NO [AUTHENTICATIONFAILED] Authentication failed.", a.tagged());
            assertTrue(a.millis() >= MIN_FAILURE_MILLIS, "failure 3 answered after " + a.millis() + " ms");
            assertEquals("* BYE Too many invalid authentication attempts.", g.line());
            assertClosed(g, "the guessing connection after 3 failures");
        }
    }

    private static void twoFailures(Wire g, String round) throws IOException {
        for (int i = 1; i <= 2; i++) {
            Answer a = login(g, round + i, "guess-" + round + i);
            assertEquals(round + i + " NO [AUTHENTICATIONFAILED] Authentication failed.", a.tagged());
            assertTrue(a.millis() >= MIN_FAILURE_MILLIS, "failure " + i + " answered after " + a.millis() + " ms");
        }
    }

    private record Node(ActorTestKit kit, ClusterDirectoryService directory, ClusterBanService bans, ImapServices imap) {
        ActorSystem<Void> system() {
            return kit.system();
        }
    }

    private static Node node(ActorTestKit kit, FileBlobStore blobs, TlsContextProvider tls, ExecutorService executor) {
        ClusterMailboxes.start(kit.system());
        ClusterDirectoryService dir = ClusterDirectoryService.start(kit.system());
        ClusterBanService bans = ClusterBanService.start(kit.system(), BanPolicy.defaults());
        AcceptGuard guard = AcceptGuard.of(bans, ProxyProtocol.trusting(List.of(Cidr.parse("127.0.0.0/8"))));
        ImapServices services = new ImapServices(new DirectoryAuthenticator(dir, executor, bans),
                new ClusterMailboxService(kit.system(), blobs, executor), blobs, dir, tls, guard);
        return new Node(kit, dir, bans, services);
    }

    @Test
    void failedLoginsCloseTheSessionAndABanClosesOpenSessionsOnEveryNode() throws Exception {
        ActorTestKit kitA = TestNodes.node(data);
        ActorTestKit kitB = TestNodes.node(data);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        FileBlobStore blobs = BlobStores.filesystem(data);
        TlsContextProvider tls = TlsContextProvider.start(TlsSettings.none());
        List<AutoCloseable> open = new ArrayList<>();
        try {
            JournalSchema.ensure(kitA.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(kitA.system(), kitA.system());
            TestNodes.join(kitB.system(), kitA.system());
            TestNodes.awaitUp(kitA.system(), 2);
            TestNodes.awaitUp(kitB.system(), 2);
            Node a = node(kitA, blobs, tls, executor);
            Node b = node(kitB, blobs, tls, executor);
            a.directory().apply(new DirectoryChange.AddAccount(USER, PasswordSchemes.hash(PASSWORD)))
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            TestNodes.await(() -> b.directory().view().account(USER).isPresent(), Duration.ofSeconds(20),
                    "account replicated to node B");

            ImapSettings settings = ImapSettings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0);
            ImapServer imapA = ImapServer.start(settings, a.imap());
            open.add(imapA);
            ImapServer imapB = ImapServer.start(settings, b.imap());
            open.add(imapB);
            // A second listener on node B that nobody closes sessions for: shows the login check itself.
            ImapServer unwatchedB = ImapServer.start(settings, b.imap());
            open.add(unwatchedB);
            open.add(BannedSessionCloser.watch(a.bans(), List.of(imapA.connections())));
            open.add(BannedSessionCloser.watch(b.bans(), List.of(imapB.connections())));

            // Before the ban: idle connections of the attacker on both nodes, one logged in.
            Wire idleA = connect(imapA.port(), ATTACKER);
            open.add(idleA);
            Wire idleB = connect(imapB.port(), ATTACKER);
            open.add(idleB);
            Wire loggedInB = connect(imapB.port(), ATTACKER);
            open.add(loggedInB);
            assertTrue(login(loggedInB, "L1", PASSWORD).tagged().startsWith("L1 OK "), "the right password works");
            try (Wire warm = connect(unwatchedB.port(), ATTACKER)) {
                assertTrue(login(warm, "W1", PASSWORD).tagged().startsWith("W1 OK "), "now in that listener's auth cache");
            }
            Wire stillOpen = connect(unwatchedB.port(), ATTACKER);
            open.add(stillOpen);

            threeFailures(imapA.port(), "a");
            assertTrue(!b.bans().isBanned(IpNetwork.parse(ATTACKER).address()), "3 failures do not ban");
            try (Wire g = connect(imapA.port(), ATTACKER)) {
                twoFailures(g, "b");
                // The 6th failure in the dovecot jail bans: the ban closes this connection too, within
                // the failure delay, so the guess gets no answer at all.
                g.write("b3 LOGIN " + USER + " guess-b3\r\n");
                assertClosed(g, "the guessing connection, by the ban its 6th failure caused");
            }

            // Answered only once the ban was written to node B too: the next guess there meets it.
            Answer refused = login(stillOpen, "R1", PASSWORD);
            assertEquals("R1 NO [AUTHENTICATIONFAILED] Authentication failed.", refused.tagged(),
                    "the right password, cached even, from a banned address");
            assertTrue(refused.millis() >= MIN_FAILURE_MILLIS, "refusal answered after " + refused.millis() + " ms");
            FailureReport counted = a.bans().reportFailure(ATTACKER, "imap", "probe").toCompletableFuture()
                    .get(20, TimeUnit.SECONDS);
            assertEquals(new FailureReport(2, true), counted, "the refused login was counted after the ban");

            assertClosed(idleA, "the connection opened on node A before the ban");
            assertClosed(idleB, "the connection opened on node B before the ban");
            assertTrue(Wire.last(loggedInB.command("N1", "NOOP")).startsWith("N1 OK"),
                    "a session that had logged in stays");
            try (Wire neighbour = connect(imapB.port(), "198.51.100.8")) {
                assertTrue(login(neighbour, "X1", PASSWORD).tagged().startsWith("X1 OK "), "the neighbour is not banned");
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    // already closed by the server
                }
            }
            tls.close();
            blobs.close();
            executor.shutdownNow();
            kitB.shutdownTestKit();
            kitA.shutdownTestKit();
        }
    }
}
