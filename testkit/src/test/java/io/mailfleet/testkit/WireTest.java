package io.mailfleet.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireTest {

    private final ServerSocket server;
    private CompletableFuture<String> received;

    WireTest() throws IOException {
        server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    }

    /** A one-connection loopback server: writes {@code script} at once, then records what the client sent. */
    private int serve(String script) {
        received = CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                OutputStream o = s.getOutputStream();
                o.write(script.getBytes(StandardCharsets.UTF_8));
                o.flush();
                s.shutdownOutput();
                InputStream i = s.getInputStream();
                return new String(i.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return server.getLocalPort();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void smtpRepliesEndAtTheLineWithoutAHyphen() throws Exception {
        int port = serve("220 hi\r\n250-one\r\n250-two\r\n250 three\r\n550 no\r\n");
        String sent;
        try (Wire w = Wire.smtp(port)) {
            assertEquals("220 hi", w.expect("220"));
            assertEquals("250-one\n250-two\n250 three", w.send("EHLO x").expect("250"));
            AssertionError wrong = assertThrows(AssertionError.class, () -> w.send("MAIL FROM:<>").expect("250"));
            assertTrue(wrong.getMessage().contains("550 no"), wrong.getMessage());
            assertNull(w.smtpReply(), "end of stream");
            w.socket().shutdownOutput();
            sent = received.get(10, TimeUnit.SECONDS);
        }
        assertEquals("EHLO x\r\nMAIL FROM:<>\r\n", sent);
    }

    @Test
    void anSmtpReplyWhoseLinesDisagreeOnTheCodeFailsTheExpectation() throws Exception {
        int port = serve("250-one\r\n550 two\r\n250-one\r\n550 two\r\n");
        try (Wire w = Wire.smtp(port)) {
            assertThrows(AssertionError.class, () -> w.expect("250"));
            assertThrows(IOException.class, () -> Smtp.command(w, "NOOP", "250"));
        }
    }

    @Test
    void imapReadsUntaggedResponsesAndLiteralsUpToTheTaggedLine() throws Exception {
        int port = serve("* OK ready\r\n* 1 FETCH (BODY[] {7}\r\na1 OK\r\n)\r\n* 2 EXISTS\r\na1 OK done\r\n");
        try (Wire w = Wire.imap(port)) {
            assertEquals("* OK ready", w.greeting());
            List<String> lines = w.command("a1", "FETCH 1 BODY[]");
            assertEquals(List.of("* 1 FETCH (BODY[] {7}\r\na1 OK\r\n)", "* 2 EXISTS", "a1 OK done"), lines);
            assertEquals("a1 OK done", Wire.last(lines));
            assertThrows(java.io.EOFException.class, w::line);
        }
    }

    @Test
    void imapExpectWaitsForTheTagOfTheLastLineSent() throws Exception {
        int port = serve("* OK ready\r\n* CAPABILITY IMAP4rev1\r\nb7 NO [AUTHENTICATIONFAILED] no\r\n");
        try (Wire w = Wire.imap(port)) {
            String r = w.send("b7 LOGIN u p").expect("b7 NO [AUTHENTICATIONFAILED]");
            assertEquals("* CAPABILITY IMAP4rev1\nb7 NO [AUTHENTICATIONFAILED] no", r);
        }
    }

    @Test
    void pop3MultiLineDataEndsAtTheLoneDot() throws Exception {
        int port = serve("+OK hi\r\n+OK 2 messages\r\n1 10\r\n..2 20\r\n.\r\n-ERR no\r\n+OK\r\nLine\r\n..dot\r\n.\r\n");
        try (Wire w = Wire.pop3(port)) {
            assertEquals("+OK hi", w.greeting());
            assertEquals(List.of("+OK 2 messages", "1 10", "..2 20"), w.pop3Multi("LIST"));
            assertEquals(List.of("-ERR no"), w.pop3Multi("RETR 9"));
            w.send("RETR 1").expect("+OK");
            assertArrayEquals("Line\r\n..dot\r\n".getBytes(StandardCharsets.US_ASCII), w.dotData());
            assertTrue(w.closedByServer());
        }
    }

    @Test
    void sieveResponsesInlineLiteralsAndEndAtOkNoOrBye() throws Exception {
        int port = serve("\"IMPLEMENTATION\" \"x\"\r\nOK\r\n{7}\r\nkeep;\r\n\r\nOK \"done\"\r\nBYE \"bye\"\r\n");
        try (Wire w = Wire.sieve(port)) {
            assertEquals(List.of("\"IMPLEMENTATION\" \"x\"", "OK"), w.greetingLines());
            assertEquals(List.of("{7}\r\nkeep;\r\n", "OK \"done\""), w.send("GETSCRIPT \"s\"").response());
            assertEquals("BYE \"bye\"", w.send("LOGOUT").expect("BYE"));
            assertThrows(java.io.EOFException.class, () -> w.sieveLiteral("PUTSCRIPT \"s\"", "keep;"));
        }
        assertTrue(received.get(10, TimeUnit.SECONDS).endsWith("PUTSCRIPT \"s\" {5+}\r\nkeep;\r\n"));
    }

    @Test
    void linesUntilReadsUpToThePrefixAndFarewellIsSentOnClose() throws Exception {
        int port = serve("a\r\nb\r\nc ok\r\n");
        Wire w = Wire.lines(port).farewell("QUIT");
        assertEquals("c ok", w.until("c "));
        assertNull(w.until("z"));
        w.close();
        assertEquals("QUIT\r\n", received.get(10, TimeUnit.SECONDS));
    }

    @Test
    void skimmingCountsAndSkipsLiteralsAndKeepsTheTaggedLine() throws Exception {
        int port = serve("* 1 FETCH (BODY[] {10}\r\n0123456789)\r\n* 2 FETCH (BODY[] {3}\r\nabc)\r\nf OK done\r\n");
        try (Wire w = Wire.connect(Wire.Protocol.IMAP, port)) {
            Wire.Skimmed r = w.skim("f", "FETCH 1:* BODY[]");
            assertEquals("f OK done", r.tagged());
            assertEquals(List.of("* 1 FETCH (BODY[] {10})", "* 2 FETCH (BODY[] {3})"), r.untagged());
            assertEquals(13, r.literalOctets());
        }
    }

    @Test
    void aWireFromAChosenSourceAddressConnectsFromIt() throws Exception {
        int port = serve("+OK hi\r\n");
        try (Wire w = Wire.from(Wire.Protocol.LINES, "127.0.0.1", port).resetIsEnd()) {
            assertEquals("127.0.0.1", w.socket().getLocalAddress().getHostAddress());
            assertEquals("+OK hi", w.lineOrNull());
            assertNull(w.lineOrNull());
        }
    }

    @Test
    void startTlsRefusesToUpgradeOverBytesTheServerSentInPlaintext() throws Exception {
        int port = serve("220 go ahead\r\n250 injected\r\n");
        try (Wire w = Wire.smtp(port)) {
            w.send("STARTTLS").expect("220");
            IOException e = assertThrows(IOException.class, w::startTls);
            assertTrue(e.getMessage().contains("before the TLS handshake"), e.getMessage());
        }
    }
}
