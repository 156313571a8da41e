package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./mailfleet import maildir /var/mail --dms-layout} on docker-mailserver's mail root written
 * by real Dovecot (the committed fixture): the account on the node gets its mail, Archive as an
 * \Archive folder, the subscriptions of the {@code subscriptions} file and the Sieve scripts of its
 * home with the same one active (seen through IMAP and ManageSieve); a directory of an address that
 * is not an account here is reported and not imported; an account without a directory is listed.
 */
class DmsLayoutImportEndToEndTest {

    @TempDir
    Path data;
    @TempDir
    Path src;

    @Test
    void everyAccountOfTheMailRootComesOverWithSubscriptionsAndSieve() throws Exception {
        Path root = DovecotUidImportEndToEndTest.copyFixture(src);
        // a script that does not compile is reported, the others still come over
        Files.writeString(root.resolve("example.com/user/home/sieve/broken.sieve"), "if true {\n");
        Map<String, String> env = TestServers.env(data, Map.of());
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            CliRun add = CliRun.cli(env, "email", "add", "nomail@example.com", "s3cret-pw");
            assertEquals(0, add.code(), add.toString());
            for (int i = 0; i < 100 && server.node().directory().view().account("nomail@example.com").isEmpty(); i++) {
                Thread.sleep(100); // the directory replicates the change to this node's view
            }

            CliRun both = CliRun.cli(env, "import", "maildir", root.toString(),
                    "--dms-layout", "--account", "user@example.com");
            assertEquals(2, both.code(), both.toString());

            CliRun run = CliRun.cli(env, "import", "maildir", root.toString(), "--dms-layout");
            assertEquals(0, run.code(), run.toString());
            String out = run.out();
            assertTrue(out.contains("== user@example.com"), out);
            assertTrue(out.contains("INFO: imported 9 message(s)"), out);
            assertTrue(out.contains("INFO: subscribed to Lists/Foo"), out);
            assertTrue(out.contains("INFO: Sieve scripts lists, vacation; active: lists"), out);
            assertTrue(out.contains("WARNING: skipped home/sieve/broken.sieve: Sieve script does not compile"), out);
            assertTrue(out.contains("WARNING: example.com/gone is not an account on this server: not imported"), out);
            assertTrue(out.contains("INFO: nomail@example.com has no mail directory under " + root), out);
            assertTrue(out.contains("INFO: 1 account(s) imported, 0 failed, 1 not on this server"), out);

            int imap = server.listeners().imapPorts().get(false);
            try (Wire c = Wire.imap(imap)) {
                assertTrue(Wire.last(c.command("L", "LOGIN user@example.com secret")).startsWith("L OK"));
                String list = String.join("\n", c.command("LI", "LIST \"\" \"*\" RETURN (SPECIAL-USE SUBSCRIBED)"));
                assertTrue(lineOf(list, "Archive").contains("\\Archive"), list);
                assertTrue(lineOf(list, "Sent").contains("\\Sent"), list);
                assertTrue(lineOf(list, "Lists/Foo").contains("\\Subscribed"), list);
                assertFalse(lineOf(list, "&AMk-t&AOk-").contains("\\Subscribed"), "not in the subscriptions file: "
                        + list);
            }
            int sieve = server.listeners().otherPorts().get("managesieve");
            try (Wire m = Wire.sieve(sieve)) {
                assertTrue(Wire.last(m.greetingLines()).startsWith("OK"));
                String plain = Base64.getEncoder().encodeToString("\0user@example.com\0secret"
                        .getBytes(StandardCharsets.UTF_8));
                assertTrue(m.send("AUTHENTICATE \"PLAIN\" \"" + plain + "\"").line().startsWith("OK"));
                List<String> scripts = m.send("LISTSCRIPTS").response();
                assertTrue(scripts.contains("\"lists\" ACTIVE"), scripts.toString());
                assertTrue(scripts.contains("\"vacation\""), scripts.toString());
                assertFalse(String.join("\n", scripts).contains("broken"), scripts.toString());
                String vacation = String.join("\n", m.send("GETSCRIPT \"vacation\"").response());
                assertTrue(vacation.contains("vacation :days 7 \"I am away.\";"), vacation);
            }

            CliRun again = CliRun.cli(env, "import", "maildir", root.toString(), "--dms-layout");
            assertEquals(0, again.code(), again.toString());
            assertTrue(again.out().contains("imported 0 message(s)") && again.out().contains("9 already there"),
                    again.out());
        }
    }

    private static String lineOf(String list, String folder) {
        for (String line : list.split("\n")) {
            if (line.startsWith("* LIST") && (line.endsWith(" " + folder) || line.endsWith(" \"" + folder + "\""))) {
                return line;
            }
        }
        throw new AssertionError("no LIST line for " + folder + " in " + list);
    }
}
