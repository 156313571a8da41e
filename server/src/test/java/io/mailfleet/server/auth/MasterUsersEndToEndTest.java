package io.mailfleet.server.auth;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.files.PrivateFiles;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dovecot master users end to end: {@code dovecot-masters.cf} in the docker-mailserver config
 * directory, login as {@code user@example.com*admin} (quoted in IMAP: {@code *} is no atom character)
 * with the master's password over IMAP (LOGIN and
 * AUTHENTICATE PLAIN), POP3 and ManageSieve opens the user's own mailbox, every such login is logged
 * with both names, SMTP submission refuses master logins, separator tricks fail like wrong passwords,
 * and a master added to the file while the node runs can log in without a restart.
 */
class MasterUsersEndToEndTest {

    private static final String USER = "user@example.com";
    private static final String PASSWORD = "user-pw";
    private static final String MASTER_PASSWORD = "master-pw";

    @TempDir
    static Path data;
    static Path dms;
    static MailfleetServer server;
    static ListAppender<ILoggingEvent> authLog;
    static Level previousLevel;

    @BeforeAll
    static void start() throws Exception {
        dms = data.resolve("dms");
        PrivateFiles.writeAtomically(dms.resolve("dovecot-masters.cf"),
                "# master users\nadmin|" + PasswordSchemes.hash(MASTER_PASSWORD) + "\n");
        Logger auth = (Logger) LoggerFactory.getLogger("io.mailfleet.auth");
        previousLevel = auth.getLevel();
        auth.setLevel(Level.INFO);
        authLog = new ListAppender<>();
        authLog.start();
        auth.addAppender(authLog);
        server = TestServers.start(TestServers.env(data.resolve("node"), Map.of(
                "DMS_CONFIG_DIR", dms.toString(),
                "MAILFLEET_LOGIN_MAX_FAILURES", "20",
                "MAILFLEET_LOGIN_FAILURE_DELAY", "0s")), new FirstAccount(USER, PASSWORD, false));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        Logger auth = (Logger) LoggerFactory.getLogger("io.mailfleet.auth");
        auth.detachAppender(authLog);
        auth.setLevel(previousLevel);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static int imapPort() {
        return server.listeners().imapPorts().get(false);
    }

    @Test
    void masterOpensTheUsersMailboxOverImapAndEveryLoginIsLoggedWithBothNames() throws Exception {
        try (Wire imap = Wire.imap(imapPort())) {
            assertTrue(Wire.last(imap.command("a", "LOGIN " + USER + " " + PASSWORD)).startsWith("a OK"));
            assertEquals("c OK Create completed.", Wire.last(imap.command("c", "CREATE \"Made by the user\"")));
        }
        try (Wire imap = Wire.imap(imapPort())) {
            assertTrue(Wire.last(imap.command("a", "LOGIN \"" + USER + "*admin\" " + MASTER_PASSWORD)).startsWith("a OK"));
            assertTrue(String.join("\n", imap.command("l", "LIST \"\" *")).contains("\"Made by the user\""),
                    "the user's own folders");
        }
        try (Wire imap = Wire.imap(imapPort())) {
            String ok = imap.send("a AUTHENTICATE PLAIN " + b64("\0" + USER + "*admin\0" + MASTER_PASSWORD)).line();
            assertTrue(ok.startsWith("a OK"), ok);
        }
        List<String> logged = authLog.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("imap master login ok") && m.contains(" master=admin ")).toList();
        assertEquals(List.of("imap master login ok user=" + USER + " master=admin rip=127.0.0.1",
                "imap master login ok user=" + USER + " master=admin rip=127.0.0.1"), logged);
    }

    @Test
    void pop3AndManageSieve() throws Exception {
        try (Wire pop3 = Wire.pop3(server.listeners().otherPorts().get("pop3"))) {
            assertTrue(pop3.send("USER " + USER + "*admin").line().startsWith("+OK"));
            String ok = pop3.send("PASS " + MASTER_PASSWORD).line();
            assertTrue(ok.startsWith("+OK"), ok);
        }
        try (Wire sieve = Wire.sieve(server.listeners().otherPorts().get("managesieve"))) {
            assertEquals("OK \"Logged in.\"",
                    sieve.send("AUTHENTICATE \"PLAIN\" \"" + b64("\0" + USER + "*admin\0" + MASTER_PASSWORD) + "\"").line());
        }
    }

    @Test
    void submissionRefusesMasterLogins() throws Exception {
        try (Wire smtp = Wire.smtp(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION))) {
            smtp.smtpReply();
            smtp.send("EHLO client.example").smtpReply();
            assertEquals("535 5.7.8 Error: authentication failed: authentication failure",
                    smtp.send("AUTH PLAIN " + b64("\0" + USER + "*admin\0" + MASTER_PASSWORD)).smtpReply());
            assertEquals("235 2.7.0 Authentication successful",
                    smtp.send("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).smtpReply());
        }
    }

    @Test
    void separatorTricksAndWrongPasswordsFail() throws Exception {
        List<String> logins = List.of(
                USER + "*admin*admin", "*admin", USER + "*", "*", USER + "**admin", USER + "*nobody",
                "nobody@example.com*admin");
        try (Wire imap = Wire.imap(imapPort())) {
            int n = 0;
            for (String login : logins) {
                String tag = "t" + ++n;
                assertEquals(tag + " NO [AUTHENTICATIONFAILED] Authentication failed.",
                        Wire.last(imap.command(tag, "LOGIN \"" + login + "\" " + MASTER_PASSWORD)), login);
            }
            assertEquals("w NO [AUTHENTICATIONFAILED] Authentication failed.",
                    Wire.last(imap.command("w", "LOGIN \"" + USER + "*admin\" wrong-password")));
            assertEquals("u NO [AUTHENTICATIONFAILED] Authentication failed.",
                    Wire.last(imap.command("u", "LOGIN \"" + USER + "*admin\" " + PASSWORD)), "the user's password is not the master's");
        }
    }

    @Test
    void mastersAddedWhileRunningWorkWithoutARestart() throws Exception {
        PrivateFiles.writeAtomically(dms.resolve("dovecot-masters.cf"), "admin|" + PasswordSchemes.hash(MASTER_PASSWORD)
                + "\nops|" + PasswordSchemes.hash("ops-pw") + "\n");
        try (Wire imap = Wire.imap(imapPort())) {
            assertTrue(Wire.last(imap.command("a", "LOGIN \"" + USER + "*ops\" ops-pw")).startsWith("a OK"));
        }
        PrivateFiles.writeAtomically(dms.resolve("dovecot-masters.cf"), "admin|" + PasswordSchemes.hash(MASTER_PASSWORD) + "\n");
        try (Wire imap = Wire.imap(imapPort())) {
            assertEquals("a NO [AUTHENTICATIONFAILED] Authentication failed.",
                    Wire.last(imap.command("a", "LOGIN \"" + USER + "*ops\" other-pw")));
        }
    }
}
