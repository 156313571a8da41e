package io.mailfleet.server;

import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same malformed SASL exchanges over real sockets on IMAP, POP3, ManageSieve and SMTP
 * submission: each protocol refuses each of them with its own reply for the same reason. The node
 * closes a connection at the first failed login ({@code MAILFLEET_LOGIN_MAX_FAILURES=1}), so the
 * valid login that ends every script also proves that malformed exchanges are refused by the SASL
 * rules before any password check (the empty login in particular, once passed to the
 * authenticator by IMAP, POP3 and ManageSieve).
 */
class SaslRefusalsEndToEndTest {

    private static final String USER = "user@example.com";
    private static final String PASSWORD = "secret-pw";

    /** Why an exchange is refused, as each protocol words it. */
    private enum Refusal { BAD_BASE64, OTHER_AUTHZID, MALFORMED, ABORTED }

    /** One exchange: the mechanism, the initial response (null: none) and the answers to challenges. */
    private record Exchange(String name, String mechanism, String initial, List<String> answers, Refusal refusal,
                            String smtpMechanism) {
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static final List<Exchange> MALFORMED = List.of(
            new Exchange("bad base64", "PLAIN", "!!!notbase64", List.of(), Refusal.BAD_BASE64, "PLAIN"),
            new Exchange("bad base64 after a challenge", "PLAIN", null, List.of("%%%%"), Refusal.BAD_BASE64, "PLAIN"),
            new Exchange("authzid of another user", "PLAIN", b64("other@example.com\0" + USER + "\0" + PASSWORD), List.of(),
                    Refusal.OTHER_AUTHZID, "PLAIN"),
            new Exchange("empty authcid", "PLAIN", b64("\0\0" + PASSWORD), List.of(), Refusal.MALFORMED, "PLAIN"),
            new Exchange("empty authcid with an authzid", "PLAIN", b64(USER + "\0\0" + PASSWORD), List.of(),
                    Refusal.MALFORMED, "PLAIN"),
            new Exchange("one NUL only", "PLAIN", b64(USER + "\0" + PASSWORD), List.of(), Refusal.MALFORMED, "PLAIN"),
            new Exchange("over-long authcid", "PLAIN", b64("\0" + "u".repeat(400) + "@example.com\0" + PASSWORD),
                    List.of(), Refusal.MALFORMED, "PLAIN"),
            new Exchange("cancelled", "PLAIN", null, List.of("*"), Refusal.ABORTED, "PLAIN"),
            new Exchange("LOGIN with an empty user name", "LOGIN", null, List.of(""), Refusal.MALFORMED, "LOGIN"));

    @TempDir
    static Path data;
    static MailfleetServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.env(data, Map.of(
                "MAILFLEET_LOGIN_MAX_FAILURES", "1",
                "MAILFLEET_LOGIN_FAILURE_DELAY", "0s")), new FirstAccount(USER, PASSWORD, false));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void imap() throws Exception {
        Map<Refusal, String> replies = new EnumMap<>(Map.of(
                Refusal.BAD_BASE64, "BAD Invalid base64 data in continued response",
                Refusal.OTHER_AUTHZID, "NO [AUTHORIZATIONFAILED] Authorization as another user is not allowed.",
                Refusal.MALFORMED, "NO [AUTHENTICATIONFAILED] Authentication failed.",
                Refusal.ABORTED, "BAD Authentication aborted by client."));
        try (Wire imap = Wire.lines(server.listeners().imapPorts().get(false))) {
            assertTrue(imap.lineOrNull().startsWith("* OK"));
            int n = 0;
            for (Exchange e : MALFORMED) {
                String tag = "a" + ++n;
                String reply = exchange(imap, tag + " AUTHENTICATE " + e.mechanism()
                        + (e.initial() == null ? "" : " " + e.initial()), e.answers(), a -> a, "+ ");
                assertEquals(tag + " " + replies.get(e.refusal()), reply, e.name());
            }
            assertTrue(imap.send("z AUTHENTICATE PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).lineOrNull().startsWith("z OK "),
                    "still connected and no login failure counted");
        }
    }

    @Test
    void pop3() throws Exception {
        Map<Refusal, String> replies = new EnumMap<>(Map.of(
                Refusal.BAD_BASE64, "-ERR Invalid base64 data in continued response.",
                Refusal.OTHER_AUTHZID, "-ERR [AUTH] Authorization as another user is not allowed.",
                Refusal.MALFORMED, "-ERR [AUTH] Authentication failed.",
                Refusal.ABORTED, "-ERR Authentication aborted by client."));
        try (Wire pop3 = Wire.lines(server.listeners().otherPorts().get("pop3"))) {
            assertTrue(pop3.lineOrNull().startsWith("+OK"));
            for (Exchange e : MALFORMED) {
                String reply = exchange(pop3, "AUTH " + e.mechanism() + (e.initial() == null ? "" : " " + e.initial()),
                        e.answers(), a -> a, "+ ");
                assertEquals(replies.get(e.refusal()), reply, e.name());
            }
            assertTrue(pop3.send("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).lineOrNull().startsWith("+OK"),
                    "still connected and no login failure counted");
        }
    }

    @Test
    void manageSieve() throws Exception {
        Map<Refusal, String> replies = new EnumMap<>(Map.of(
                Refusal.BAD_BASE64, "NO \"Invalid base64 data in SASL response.\"",
                Refusal.OTHER_AUTHZID, "NO \"Authorization as another user is not allowed.\"",
                Refusal.MALFORMED, "NO \"Authentication failed.\"",
                Refusal.ABORTED, "NO \"Authentication aborted by client.\""));
        try (Wire sieve = Wire.lines(server.listeners().otherPorts().get("managesieve"))) {
            assertTrue(sieve.until("OK").startsWith("OK"));
            for (Exchange e : MALFORMED) {
                String reply = exchange(sieve, "AUTHENTICATE \"" + e.mechanism() + "\""
                        + (e.initial() == null ? "" : " \"" + e.initial() + "\""), e.answers(), a -> "\"" + a + "\"", "\"");
                assertEquals(replies.get(e.refusal()), reply, e.name());
            }
            assertEquals("OK \"Logged in.\"", sieve.send("AUTHENTICATE \"PLAIN\" \"" + b64("\0" + USER + "\0" + PASSWORD) + "\"").lineOrNull(),
                    "still connected and no login failure counted");
        }
    }

    @Test
    void smtpSubmission() throws Exception {
        try (Wire smtp = Wire.lines(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION))) {
            assertTrue(smtp.lineOrNull().startsWith("220 "));
            smtp.send("EHLO client.example");
            assertTrue(smtp.until("250 ").startsWith("250 "));
            for (Exchange e : MALFORMED) {
                String expected = switch (e.refusal()) {
                    case BAD_BASE64 -> "501 5.5.2 Error: invalid base64 data in response";
                    case ABORTED -> "501 5.7.0 Authentication aborted";
                    case OTHER_AUTHZID, MALFORMED ->
                            "535 5.7.8 Error: authentication failed: malformed " + e.smtpMechanism() + " response";
                };
                String reply = exchange(smtp, "AUTH " + e.mechanism() + (e.initial() == null ? "" : " " + e.initial()),
                        e.answers(), a -> a, "334 ");
                assertEquals(expected, reply, e.name());
            }
            assertEquals("235 2.7.0 Authentication successful", smtp.send("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).lineOrNull(),
                    "still connected and no login failure counted");
        }
    }

    /** Sends the command, answers every challenge (which must start with {@code challenge}), returns the final line. */
    private static String exchange(Wire w, String command, List<String> answers, Function<String, String> quote,
                                   String challenge) throws IOException {
        String reply = w.send(command).lineOrNull();
        for (String answer : answers) {
            assertNotNull(reply, command);
            assertTrue(reply.startsWith(challenge), "a challenge after " + command + ": " + reply);
            reply = w.send(quote.apply(answer)).lineOrNull();
        }
        return reply;
    }

}
