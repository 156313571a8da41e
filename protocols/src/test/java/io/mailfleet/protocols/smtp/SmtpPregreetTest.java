package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.smtp.postscreen.Postscreen;
import io.mailfleet.protocols.smtp.postscreen.PostscreenAction;
import io.mailfleet.protocols.smtp.postscreen.PostscreenSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pregreet test of port 25 over raw sockets: bytes sent between the banner's first line and its
 * last are caught and handled as POSTSCREEN_ACTION says; a silent client passes, is remembered, and its
 * mail is queued; trusted networks and submission skip the test.
 */
class SmtpPregreetTest {

    /** Long enough that a client answering the first banner line at once is always inside the wait. */
    private static final Duration WAIT = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private SmtpFixture fx;
    private SmtpServer server;

    @BeforeEach
    void fixture() throws Exception {
        fx = new SmtpFixture(dir, false);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        fx.close();
    }

    private void start(SmtpMode mode, PostscreenAction action, List<Cidr> trusted) {
        SmtpSettings settings = SmtpFixture.custom(mode, SmtpSettings.DEFAULT_MESSAGE_SIZE, Duration.ofSeconds(300),
                BareNewlinePolicy.REJECT, false, trusted);
        server = SmtpServer.start(settings, new SmtpServices(TestCollaborators.directory(),
                        TestCollaborators.authenticator(), fx.blobs, fx.queue, TestCollaborators.usage(), fx.tls,
                        AcceptGuard.none()), 0, LoginPolicy.DEFAULTS,
                Postscreen.local(new PostscreenSettings(true, action, WAIT, Duration.ofHours(1))));
    }

    /** A raw client from 127.0.0.1: reads single lines, so the banner's two lines are seen apart. */
    private final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client() throws IOException {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(20_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        String line() throws IOException {
            return in.readLine();
        }

        void send(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String cmd(String command) throws IOException {
            send(command + "\r\n");
            String l;
            do {
                l = line();
            } while (l != null && l.length() > 3 && l.charAt(3) == '-');
            return l;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final String MAIL = "MAIL FROM:<sender@example.org>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\n";

    private static void sendMessage(Client c) throws IOException {
        assertTrue(c.cmd("EHLO client.example.org").startsWith("250 "));
        assertEquals("250 2.1.0 Ok", c.cmd("MAIL FROM:<sender@example.org>"));
        assertEquals("250 2.1.5 Ok", c.cmd("RCPT TO:<alice@example.com>"));
        assertTrue(c.cmd("DATA").startsWith("354 "));
        assertTrue(c.cmd("Subject: hi\r\n\r\nhello\r\n.").startsWith("250 2.0.0 Ok: queued as "));
    }

    @Test
    void aSilentClientPassesIsRememberedAndItsMailIsQueued() throws Exception {
        start(SmtpMode.MX, PostscreenAction.ENFORCE, List.of());
        try (Client c = new Client()) {
            assertEquals("220-" + SmtpFixture.HOST + " ESMTP", c.line());
            assertEquals("220 " + SmtpFixture.HOST + " ESMTP", c.line());
            sendMessage(c);
        }
        assertEquals(1, fx.queue.entries.size());
        // the pass is cached: the next connection gets the one-line banner at once
        try (Client c = new Client()) {
            assertEquals("220 " + SmtpFixture.HOST + " ESMTP", c.line());
            sendMessage(c);
            assertEquals("221 2.0.0 Bye", c.cmd("QUIT"));
        }
        assertEquals(2, fx.queue.entries.size());
    }

    @Test
    void enforceRefusesEveryCommandOfAPregreeterButQuitAndQueuesNothing() throws Exception {
        start(SmtpMode.MX, PostscreenAction.ENFORCE, List.of());
        try (Client c = new Client()) {
            assertEquals("220-" + SmtpFixture.HOST + " ESMTP", c.line());
            c.send("EHLO bot.example.net\r\n" + MAIL);
            assertEquals("220 " + SmtpFixture.HOST + " ESMTP", c.line());
            for (int i = 0; i < 4; i++) {
                assertEquals("550 5.5.1 Protocol error", c.line());
            }
            assertEquals("550 5.5.1 Protocol error", c.cmd("Subject: spam"));
            assertEquals("550 5.5.1 Protocol error", c.cmd("."));
            assertEquals("221 2.0.0 Bye", c.cmd("QUIT"));
            assertNull(c.line());
        }
        assertTrue(fx.queue.entries.isEmpty());
        // a failure is not remembered as a pass: the test runs again
        try (Client c = new Client()) {
            assertEquals("220-" + SmtpFixture.HOST + " ESMTP", c.line());
        }
    }

    @Test
    void enforceClosesAfterTheHardErrorLimit() throws Exception {
        start(SmtpMode.MX, PostscreenAction.ENFORCE, List.of());
        try (Client c = new Client()) {
            assertEquals("220-" + SmtpFixture.HOST + " ESMTP", c.line());
            c.send("EHLO bot.example.net\r\n");
            assertEquals("220 " + SmtpFixture.HOST + " ESMTP", c.line());
            assertEquals("550 5.5.1 Protocol error", c.line());
            for (int i = 2; i < 20; i++) {
                assertEquals("550 5.5.1 Protocol error", c.cmd("NOOP"));
            }
            c.send("NOOP\r\n");
            assertEquals("550 5.5.1 Protocol error", c.line());
            assertEquals("421 4.7.0 " + SmtpFixture.HOST + " Error: too many errors", c.line());
            assertNull(c.line());
        }
    }

    @Test
    void dropClosesAPregreeterWith521() throws Exception {
        start(SmtpMode.MX, PostscreenAction.DROP, List.of());
        try (Client c = new Client()) {
            assertEquals("220-" + SmtpFixture.HOST + " ESMTP", c.line());
            c.send("EHLO bot.example.net\r\n" + MAIL);
            assertEquals("521 5.5.1 Protocol error", c.line());
            assertNull(c.line());
        }
        assertTrue(fx.queue.entries.isEmpty());
    }

    @Test
    void ignoreLetsAPregreeterGoOnWithWhatItAlreadySent() throws Exception {
        start(SmtpMode.MX, PostscreenAction.IGNORE, List.of());
        try (Client c = new Client()) {
            assertEquals("220-" + SmtpFixture.HOST + " ESMTP", c.line());
            c.send("EHLO early.example.net\r\n");
            assertEquals("220 " + SmtpFixture.HOST + " ESMTP", c.line());
            String l;
            do {
                l = c.line();
            } while (l.startsWith("250-"));
            assertTrue(l.startsWith("250 "), l);
            assertEquals("250 2.1.0 Ok", c.cmd("MAIL FROM:<sender@example.org>"));
            assertEquals("250 2.1.5 Ok", c.cmd("RCPT TO:<alice@example.com>"));
            assertTrue(c.cmd("DATA").startsWith("354 "));
            assertTrue(c.cmd("Subject: hi\r\n\r\nhello\r\n.").startsWith("250 2.0.0 Ok: queued as "));
        }
        assertEquals(1, fx.queue.entries.size());
        // ignored, not passed: the next connection is tested again
        try (Client c = new Client()) {
            assertEquals("220-" + SmtpFixture.HOST + " ESMTP", c.line());
        }
    }

    @Test
    void trustedNetworksSkipTheTest() throws Exception {
        start(SmtpMode.MX, PostscreenAction.DROP, List.of(Cidr.parse("127.0.0.0/8")));
        try (Client c = new Client()) {
            assertEquals("220 " + SmtpFixture.HOST + " ESMTP", c.line());
            sendMessage(c);
        }
        assertEquals(1, fx.queue.entries.size());
    }

    @Test
    void submissionSkipsTheTest() throws Exception {
        start(SmtpMode.SUBMISSION, PostscreenAction.DROP, List.of());
        try (Client c = new Client()) {
            assertEquals("220 " + SmtpFixture.HOST + " ESMTP", c.line());
            assertTrue(c.cmd("EHLO client.example.org").startsWith("250 "));
        }
    }

    @Test
    void aServerStopClosesAClientStillUnderTest() throws Exception {
        start(SmtpMode.MX, PostscreenAction.ENFORCE, List.of());
        try (Client c = new Client()) {
            assertEquals("220-" + SmtpFixture.HOST + " ESMTP", c.line());
            Thread stopper = new Thread(server::close);
            stopper.start();
            assertEquals("421 4.3.2 " + SmtpFixture.HOST + " Service shutting down, try again later", c.line());
            assertNull(c.line());
            stopper.join(20_000);
        }
        server = null;
    }
}
