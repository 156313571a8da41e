package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./mailfleet email app-password add|list|del} against a real node: the password it prints logs in
 * over IMAP and SMTP submission (its scopes), not POP3; after {@code del} it is refused; deleting the account
 * revokes what it had, so an account made again under the address does not inherit it.
 */
class AppPasswordCliEndToEndTest {

    @TempDir
    Path data;

    @Test
    void addListDelThroughTheCli() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of());
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "main-pw", false))) {
            CliRun add = CliRun.cli(env, "email", "app-password", "add", "user@example.com",
                    "laptop", "--scope", "imap,smtp", "--network", "127.0.0.0/8");
            assertEquals(0, add.code(), add.toString());
            Matcher m = Pattern.compile("'laptop' for user@example.com \\(imap,smtp\\): (\\S+)").matcher(add.out());
            assertTrue(m.find(), add.out());
            String pw = m.group(1);

            CliRun list = CliRun.cli(env, "email", "app-password", "list", "user@example.com");
            assertEquals(0, list.code(), list.toString());
            assertTrue(list.out().contains("* laptop  scopes=imap,smtp  expires=never  networks=127.0.0.0/8"), list.out());
            assertTrue(!list.out().contains(pw), "the password is never listed");

            CliRun dup = CliRun.cli(env, "email", "app-password", "add", "user@example.com",
                    "laptop", "--scope", "imap");
            assertEquals(1, dup.code(), dup.toString());
            assertTrue(dup.err().contains("exists already"), dup.toString());
            assertEquals(1, CliRun.cli(env, "email", "app-password", "add", "nobody@example.com", "x",
                    "--scope", "imap").code());

            int imap = server.listeners().imapPorts().get(false);
            int pop3 = server.listeners().otherPorts().get("pop3");
            int submission = server.listeners().smtpPorts().get(io.mailfleet.protocols.smtp.SmtpMode.SUBMISSION);
            try (Wire w = Wire.imap(imap)) {
                w.send("a1 LOGIN user@example.com " + pw).expect("a1 OK");
            }
            try (Wire w = Wire.pop3(pop3)) {
                w.send("USER user@example.com").expect("+OK");
                w.send("PASS " + pw).expect("-ERR");
            }
            try (Wire w = Wire.smtp(submission)) {
                w.expect("220");
                w.send("EHLO client.example").expect("250");
                String plain = java.util.Base64.getEncoder().encodeToString(("\0user@example.com\0" + pw)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                w.send("AUTH PLAIN " + plain).expect("235");
            }

            CliRun del = CliRun.cli(env, "email", "app-password", "del", "user@example.com", "laptop");
            assertEquals(0, del.code(), del.toString());
            try (Wire w = Wire.imap(imap)) {
                w.send("a1 LOGIN user@example.com " + pw).expect("a1 NO");
            }
            assertEquals(1, CliRun.cli(env, "email", "app-password", "del", "user@example.com", "laptop").code());

            // a deleted account takes its app passwords with it
            add = CliRun.cli(env, "email", "app-password", "add", "user@example.com", "tablet", "--scope", "imap");
            m = Pattern.compile(": (\\S+)\\n").matcher(add.out());
            assertTrue(m.find(), add.out());
            String tablet = m.group(1);
            assertEquals(0, CliRun.cli(env, "email", "del", "user@example.com").code());
            assertEquals(0, CliRun.cli(env, "email", "add", "user@example.com", "other-pw").code());
            try (Wire w = Wire.imap(imap)) {
                w.send("a1 LOGIN user@example.com " + tablet).expect("a1 NO");
            }
            CliRun empty = CliRun.cli(env, "email", "app-password", "list", "user@example.com");
            assertTrue(empty.out().contains("has no app passwords"), empty.out());
        }
    }
}
