package io.mailfleet.server.ban;

import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15's "a ban takes effect for the connection that caused it" on a whole node, over each protocol
 * that counts failed logins (SMTP AUTH, IMAP, POP3, ManageSieve): with fail2ban on (6 failures ban) and
 * 20 failures allowed per connection, one connection guesses 6 times and sends a 7th guess right behind
 * the 6th; the 7th gets no answer (the 6th gets its failure and the goodbye, or the connection is closed
 * before either), and the next connection is refused before any banner. Loopback is never banned, so the
 * node listens on this machine's non-loopback address and the client comes from it.
 */
class BanEndsTheCausingConnectionEndToEndTest {

    private static final String USER = "user@example.com";

    @TempDir
    Path data;

    private static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (n.isUp() && !n.isLoopback()) {
                for (InetAddress a : Collections.list(n.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a;
                    }
                }
            }
        }
        assertNotNull(null, "this machine has no non-loopback IPv4 address to listen on");
        return null;
    }

    private static String plain(String password) {
        return Base64.getEncoder().encodeToString(("\0" + USER + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Starts a node, opens one connection (its greeting read by {@code greet}, which returns how many
     * lines it had), sends guesses 1..5 and checks each answer with {@code answered}, then guesses 6 and 7
     * together; returns the lines that came back before the connection ended.
     */
    private void guessUntilBanned(String port, Greeter greet, IntFunction<String> guess, Answer answered,
                                  List<String> lastAnswerShapes) throws Exception {
        InetAddress local = nonLoopbackAddress();
        Map<String, String> env = TestServers.env(data, Map.of("ENABLE_FAIL2BAN", "1",
                "MAILFLEET_BIND_ADDRESS", local.getHostAddress(), "MAILFLEET_LOGIN_MAX_FAILURES", "20",
                "MAILFLEET_LOGIN_FAILURE_DELAY", "0s"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(USER, "right-password", false))) {
            int p = port(server, port);
            List<String> after;
            try (Wire w = Wire.over(Wire.Protocol.LINES, socket(local, p)).resetIsEnd()) {
                greet.greet(w);
                for (int i = 1; i <= 5; i++) {
                    w.write(guess.apply(i));
                    answered.check(w, i);
                }
                // the 7th right behind the 6th: the server reads it only after answering the 6th
                w.write(guess.apply(6) + guess.apply(7));
                after = new ArrayList<>();
                String l;
                while ((l = w.lineOrNull()) != null) {
                    after.add(l);
                }
            }
            assertTrue(lastAnswerShapes.subList(0, after.size()).equals(after),
                    "after the banning 6th guess only its failure and the goodbye may come, never a 7th answer: " + after);
            try (Socket next = socket(local, p)) {
                assertTrue(refused(next), "the next connection of the banned address is refused before a banner");
            }
        }
    }

    @FunctionalInterface
    private interface Greeter {
        void greet(Wire w) throws IOException;
    }

    @FunctionalInterface
    private interface Answer {
        void check(Wire w, int attempt) throws IOException;
    }

    private static int port(MailfleetServer server, String name) {
        return switch (name) {
            case "submission" -> server.listeners().smtpPorts().get(SmtpMode.SUBMISSION);
            case "imap" -> server.listeners().imapPorts().get(false);
            default -> server.listeners().otherPorts().get(name);
        };
    }

    private static Socket socket(InetAddress local, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(local, 0));
        s.connect(new InetSocketAddress(local, port), 10_000);
        s.setSoTimeout(30_000);
        return s;
    }

    private static boolean refused(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void smtpAuth() throws Exception {
        guessUntilBanned("submission", w -> {
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
        guessUntilBanned("imap", w -> assertTrue(w.line().startsWith("* OK")),
                i -> "a" + i + " LOGIN " + USER + " guess-" + i + "\r\n",
                (w, i) -> assertEquals("a" + i + " NO [AUTHENTICATIONFAILED] Authentication failed.", w.line()),
                List.of("a6 NO [AUTHENTICATIONFAILED] Authentication failed.",
                        "* BYE Too many invalid authentication attempts."));
    }

    @Test
    void pop3() throws Exception {
        guessUntilBanned("pop3", w -> assertTrue(w.line().startsWith("+OK")),
                i -> "USER " + USER + "\r\nPASS guess-" + i + "\r\n",
                (w, i) -> {
                    assertTrue(w.line().startsWith("+OK"), "USER " + i);
                    assertTrue(w.line().startsWith("-ERR [AUTH] "), "PASS " + i);
                },
                List.of("+OK", "-ERR [AUTH] Authentication failed. Too many invalid authentication attempts."));
    }

    @Test
    void manageSieve() throws Exception {
        guessUntilBanned("managesieve", w -> w.until("OK"),
                i -> "AUTHENTICATE \"PLAIN\" \"" + plain("guess-" + i) + "\"\r\n",
                (w, i) -> assertEquals("NO \"Authentication failed.\"", w.line(), "guess " + i),
                List.of("NO \"Authentication failed.\"", "BYE \"Too many invalid authentication attempts.\""));
    }
}
