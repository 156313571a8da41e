package io.mailfleet.server;

import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The login failure policy on every protocol of a real node, configured through the environment
 * ({@code MAILFLEET_LOGIN_MAX_FAILURES=2}, {@code MAILFLEET_LOGIN_FAILURE_DELAY=1s}): each failed
 * authentication is answered after the delay, and the second one ends the session with the protocol's
 * goodbye. A new connection may log in: the limit is per connection (the ban list is per address).
 */
class LoginFailureLimitEndToEndTest {

    private static final String USER = "user@example.com";
    private static final String PASSWORD = "secret-pw";
    private static final long MIN_DELAY_MILLIS = 900;

    @TempDir
    Path data;


    private record Timed(String reply, long millis) {
    }

    /** Sends a line and returns the next line with how long it took. */
    private static Timed timed(Wire wire, String line) throws IOException {
        long t = System.nanoTime();
        String reply = wire.send(line).lineOrNull();
        return new Timed(reply, (System.nanoTime() - t) / 1_000_000);
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void assertDelayedFailure(Timed t, String expected) {
        assertEquals(expected, t.reply());
        assertTrue(t.millis() >= MIN_DELAY_MILLIS, "\"" + expected + "\" after " + t.millis() + " ms");
    }

    @Test
    void everyProtocolDelaysFailuresAndHangsUpAtTheLimit() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of(
                "MAILFLEET_LOGIN_MAX_FAILURES", "2",
                "MAILFLEET_LOGIN_FAILURE_DELAY", "1s"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(USER, PASSWORD, false))) {
            MailListeners l = server.listeners();

            try (Wire imap = Wire.lines(l.imapPorts().get(false))) {
                assertTrue(imap.lineOrNull().startsWith("* OK"));
                assertDelayedFailure(timed(imap, "a1 LOGIN " + USER + " wrong1"), "a1 NO [AUTHENTICATIONFAILED] Authentication failed.");
                assertDelayedFailure(timed(imap, "a2 LOGIN " + USER + " wrong2"), "a2 NO [AUTHENTICATIONFAILED] Authentication failed.");
                assertEquals("* BYE Too many invalid authentication attempts.", imap.lineOrNull());
                assertNull(imap.lineOrNull(), "IMAP closed");
            }
            try (Wire imap = Wire.lines(l.imapPorts().get(false))) {
                imap.lineOrNull();
                assertTrue(timed(imap, "b1 LOGIN " + USER + " " + PASSWORD).reply().startsWith("b1 OK "), "per connection");
            }

            try (Wire pop3 = Wire.lines(l.otherPorts().get("pop3"))) {
                assertTrue(pop3.lineOrNull().startsWith("+OK"));
                assertEquals("+OK", timed(pop3, "USER " + USER).reply());
                assertDelayedFailure(timed(pop3, "PASS wrong1"), "-ERR [AUTH] Authentication failed.");
                assertDelayedFailure(timed(pop3, "AUTH PLAIN " + plain(USER, "wrong2")),
                        "-ERR [AUTH] Authentication failed. Too many invalid authentication attempts.");
                assertNull(pop3.lineOrNull(), "POP3 closed");
            }

            try (Wire sieve = Wire.lines(l.otherPorts().get("managesieve"))) {
                assertTrue(sieve.until("OK").startsWith("OK"));
                assertDelayedFailure(timed(sieve, "AUTHENTICATE \"PLAIN\" \"" + plain(USER, "wrong1") + "\""),
                        "NO \"Authentication failed.\"");
                assertDelayedFailure(timed(sieve, "AUTHENTICATE \"PLAIN\" \"" + plain(USER, "wrong2") + "\""),
                        "NO \"Authentication failed.\"");
                assertEquals("BYE \"Too many invalid authentication attempts.\"", sieve.lineOrNull());
                assertNull(sieve.lineOrNull(), "ManageSieve closed");
            }

            try (Wire smtp = Wire.lines(l.smtpPorts().get(SmtpMode.SUBMISSION))) {
                assertTrue(smtp.lineOrNull().startsWith("220 "));
                smtp.send("EHLO client.example");
                assertTrue(smtp.until("250 ").startsWith("250 "));
                String failed = "535 5.7.8 Error: authentication failed: authentication failure";
                assertDelayedFailure(timed(smtp, "AUTH PLAIN " + plain(USER, "wrong1")), failed);
                assertDelayedFailure(timed(smtp, "AUTH PLAIN " + plain("nobody@example.com", "wrong2")), failed);
                assertEquals("421 4.7.0 mail.example.com Error: too many authentication failures", smtp.lineOrNull());
                assertNull(smtp.lineOrNull(), "SMTP closed");
            }
            try (Wire smtp = Wire.lines(l.smtpPorts().get(SmtpMode.SUBMISSION))) {
                smtp.lineOrNull();
                smtp.send("EHLO client.example");
                smtp.until("250 ");
                assertTrue(timed(smtp, "AUTH PLAIN " + plain(USER, PASSWORD)).reply().startsWith("235 "));
            }
        }
    }
}
