package io.mailfleet.server.ban;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.ban.ClusterBanService;
import io.mailfleet.cluster.directory.ClusterDirectoryService;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.cluster.mailbox.ClusterMailboxes;
import io.mailfleet.cluster.pop3.ClusterPop3Locks;
import io.mailfleet.cluster.sieve.ClusterSieveScripts;
import io.mailfleet.cluster.sieve.SieveQuota;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.ban.BanPolicy;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.persistence.blob.BlobStores;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.persistence.journal.JournalSchema;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.managesieve.ManageSieveServer;
import io.mailfleet.protocols.managesieve.ManageSieveServices;
import io.mailfleet.protocols.managesieve.ManageSieveSettings;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.netty.ProxyProtocol;
import io.mailfleet.protocols.pop3.Pop3Server;
import io.mailfleet.protocols.pop3.Pop3Services;
import io.mailfleet.protocols.pop3.Pop3Settings;
import io.mailfleet.protocols.smtp.BareNewlinePolicy;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.smtp.SmtpServer;
import io.mailfleet.protocols.smtp.SmtpServices;
import io.mailfleet.protocols.smtp.SmtpSettings;
import io.mailfleet.protocols.smtp.postscreen.Postscreen;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session that caused a ban ends itself, on each protocol that counts failed logins, without the
 * node's closing of banned connections (not started here): a cluster node's ban list (6 failures ban)
 * behind real SMTP submission, IMAP, POP3 and ManageSieve listeners that allow 20 failures per
 * connection, clients played through the PROXY protocol. The banning 6th guess gets its failure and the
 * goodbye, the 7th guess sent right behind it gets no answer, and the next connection is refused.
 */
class BannedSessionEndsItselfTest {

    private static final String USER = "user@example.com";
    private static final LoginPolicy LOGINS = new LoginPolicy(20, Duration.ZERO);

    @TempDir
    static Path data;
    private static ActorTestKit kit;
    private static ExecutorService executor;
    private static FileBlobStore blobs;
    private static TlsContextProvider tls;
    private static final List<AutoCloseable> OPEN = new ArrayList<>();
    private static int smtp;
    private static int imap;
    private static int pop3;
    private static int sieve;

    @BeforeAll
    static void start() throws Exception {
        kit = TestNodes.node(data);
        executor = Executors.newFixedThreadPool(4);
        blobs = BlobStores.filesystem(data);
        tls = TlsContextProvider.start(TlsSettings.none());
        JournalSchema.ensure(kit.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        TestNodes.join(kit.system(), kit.system());
        TestNodes.awaitUp(kit.system(), 1);
        ClusterMailboxes.start(kit.system());
        ClusterDirectoryService dir = ClusterDirectoryService.start(kit.system());
        ClusterBanService bans = ClusterBanService.start(kit.system(), BanPolicy.defaults());
        dir.apply(new DirectoryChange.AddAccount(USER, PasswordSchemes.hash("right-password")))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        DirectoryAuthenticator auth = new DirectoryAuthenticator(dir, executor, bans);
        AcceptGuard guard = AcceptGuard.of(bans, ProxyProtocol.trusting(List.of(Cidr.parse("127.0.0.0/8"))));

        SmtpSettings smtpSettings = new SmtpSettings("127.0.0.1", 0, SmtpMode.SUBMISSION, "mail.example.com",
                SmtpSettings.DEFAULT_MESSAGE_SIZE, 100, 20, Duration.ofSeconds(60), false, BareNewlinePolicy.REJECT,
                false, List.of(), "+", "postmaster@example.com", false, 0);
        MailQueue queue = (envelope, message) -> CompletableFuture.completedFuture("Q1");
        SmtpServer s = SmtpServer.start(smtpSettings, new SmtpServices(dir, auth, blobs, queue, account -> 0L, tls,
                guard), 0, LOGINS, Postscreen.DISABLED);
        OPEN.add(s);
        smtp = s.port();
        ImapServer i = ImapServer.start(ImapSettings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0),
                new ImapServices(auth, new ClusterMailboxService(kit.system(), blobs, executor), blobs, dir, tls, guard),
                LOGINS);
        OPEN.add(i);
        imap = i.port();
        Pop3Server p = Pop3Server.start(Pop3Settings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0),
                new Pop3Services(auth, new ClusterMailboxService(kit.system(), blobs, executor), blobs,
                        ClusterPop3Locks.start(kit.system())::tryLock, tls, guard), LOGINS);
        OPEN.add(p);
        pop3 = p.port();
        ManageSieveServer m = ManageSieveServer.start(ManageSieveSettings.defaults(0, "mail.example.com")
                        .withBind("127.0.0.1", 0),
                new ManageSieveServices(auth, ClusterSieveScripts.start(kit.system(), new SieveQuota(10, 100_000)), tls,
                        guard), LOGINS);
        OPEN.add(m);
        sieve = m.port();
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = OPEN.size() - 1; i >= 0; i--) {
            OPEN.get(i).close();
        }
        tls.close();
        blobs.close();
        executor.shutdownNow();
        kit.shutdownTestKit();
    }

    private static Socket proxied(int port, String clientIp) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("PROXY TCP4 " + clientIp + " 192.0.2.1 40000 " + port + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private static String plain(String password) {
        return Base64.getEncoder().encodeToString(("\0" + USER + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @FunctionalInterface
    private interface Step {
        void run(Wire w, int attempt) throws IOException;
    }

    /** Guesses 1..5 (each answered as {@code failed} checks), then 6 and 7 at once: the lines until the end. */
    private static void guess(int port, String clientIp, Step greet, IntFunction<String> guess, Step failed,
                              List<String> lastAnswer) throws Exception {
        List<String> after = new ArrayList<>();
        try (Wire w = Wire.over(Wire.Protocol.LINES, proxied(port, clientIp)).resetIsEnd()) {
            greet.run(w, 0);
            for (int i = 1; i <= 5; i++) {
                w.write(guess.apply(i));
                failed.run(w, i);
            }
            w.write(guess.apply(6) + guess.apply(7));
            String l;
            while ((l = w.lineOrNull()) != null) {
                after.add(l);
            }
        }
        assertEquals(lastAnswer, after, "the 6th guess's failure and the goodbye, and no answer to the 7th");
        try (Socket next = proxied(port, clientIp)) {
            boolean refused;
            try {
                refused = next.getInputStream().read() < 0;
            } catch (SocketException reset) {
                refused = true;
            }
            assertTrue(refused, "the next connection of the banned address gets nothing");
        }
    }

    @Test
    void smtpAuth() throws Exception {
        guess(smtp, "198.51.100.1", (w, i) -> {
            assertTrue(w.line().startsWith("220 "));
            w.send("EHLO client.example");
            w.until("250 ");
        }, i -> "AUTH PLAIN " + plain("guess-" + i) + "\r\n",
                (w, i) -> assertTrue(w.line().startsWith("535 5.7.8 "), "guess " + i),
                List.of("535 5.7.8 Error: authentication failed: authentication failure",
                        "421 4.7.0 mail.example.com Error: too many authentication failures"));
    }

    @Test
    void imap() throws Exception {
        guess(imap, "198.51.100.2", (w, i) -> assertTrue(w.line().startsWith("* OK")),
                i -> "a" + i + " LOGIN " + USER + " guess-" + i + "\r\n",
                (w, i) -> assertEquals("a" + i + " NO [AUTHENTICATIONFAILED] Authentication failed.", w.line()),
                List.of("a6 NO [AUTHENTICATIONFAILED] Authentication failed.",
                        "* BYE Too many invalid authentication attempts."));
    }

    @Test
    void pop3() throws Exception {
        guess(pop3, "198.51.100.3", (w, i) -> assertTrue(w.line().startsWith("+OK")),
                i -> "USER " + USER + "\r\nPASS guess-" + i + "\r\n",
                (w, i) -> {
                    assertEquals("+OK", w.line(), "USER " + i);
                    assertEquals("-ERR [AUTH] Authentication failed.", w.line(), "PASS " + i);
                },
                List.of("+OK", "-ERR [AUTH] Authentication failed. Too many invalid authentication attempts."));
    }

    @Test
    void manageSieve() throws Exception {
        guess(sieve, "198.51.100.4", (w, i) -> w.until("OK"),
                i -> "AUTHENTICATE \"PLAIN\" \"" + plain("guess-" + i) + "\"\r\n",
                (w, i) -> assertEquals("NO \"Authentication failed.\"", w.line(), "guess " + i),
                List.of("NO \"Authentication failed.\"", "BYE \"Too many invalid authentication attempts.\""));
    }
}
