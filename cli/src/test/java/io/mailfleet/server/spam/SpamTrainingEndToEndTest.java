package io.mailfleet.server.spam;

import io.mailfleet.cli.CliRun;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.mailfleet.server.spam.SpamLearningEndToEndTest.ACCOUNT;
import static io.mailfleet.server.spam.SpamLearningEndToEndTest.await;
import static io.mailfleet.server.spam.SpamLearningEndToEndTest.ham;
import static io.mailfleet.server.spam.SpamLearningEndToEndTest.send;
import static io.mailfleet.server.spam.SpamLearningEndToEndTest.spam;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.mailfleet.cli.CliRun.cli;

/**
 * {@code ./mailfleet spam learn} against a real node (through the management API): a folder of spam and
 * INBOX's ham train the built-in classifier, a message flagged \Deleted counts as expunged and is
 * skipped, and the next similar spam sent to port 25 lands in Junk with BAYES_SPAM; bad arguments and
 * unknown folders fail with exit code 1.
 */
class SpamTrainingEndToEndTest {

    @TempDir
    Path data;

    @Test
    void aFolderTrainsTheClassifierAndExpungedMessagesAreSkipped() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("MAILFLEET_SPAM_SCORER", "1",
                "MAILFLEET_BAYES_MIN_LEARNS", "3", "SA_TAG2", "4", "TRUSTED_NETWORKS", "192.0.2.1/32"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(ACCOUNT, "secret", false))) {
            for (int i = 1; i <= 4; i++) {
                assertTrue(send(server, spam(i)).startsWith("250 "));
            }
            for (int i = 5; i <= 9; i++) {
                assertTrue(send(server, ham(i)).startsWith("250 "));
            }
            await(server, "INBOX", l -> l.size() == 9);
            try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
                assertTrue(Wire.last(imap.command("a1", "LOGIN " + ACCOUNT + " secret")).startsWith("a1 OK"));
                assertTrue(Wire.last(imap.command("a2", "CREATE Reported")).startsWith("a2 OK"));
                CliRun empty = cli(env, "spam", "learn", "spam", ACCOUNT, "Reported");
                assertEquals(0, empty.code(), empty.err());
                assertEquals("Learned 0 message(s) of Reported of " + ACCOUNT + " as spam into builtin\n", empty.out());
                assertTrue(Wire.last(imap.command("a3", "SELECT INBOX")).startsWith("a3 OK"));
                assertTrue(Wire.last(imap.command("a4", "UID MOVE 1:4 Reported")).startsWith("a4 OK"));
                assertTrue(Wire.last(imap.command("a5", "UID STORE 9 +FLAGS (\\Deleted)")).startsWith("a5 OK"));
            }

            CliRun spamRun = cli(env, "spam", "learn", "spam", ACCOUNT, "Reported");
            assertEquals(0, spamRun.code(), spamRun.err());
            assertEquals("Learned 4 message(s) of Reported of " + ACCOUNT + " as spam into builtin\n", spamRun.out());
            CliRun hamRun = cli(env, "spam", "learn", "ham", ACCOUNT, "INBOX");
            assertEquals(0, hamRun.code(), hamRun.err());
            assertEquals("Learned 4 message(s) of INBOX of " + ACCOUNT + " as ham into builtin"
                    + " (1 already expunged, skipped)\n", hamRun.out());
            CliRun hamAgain = cli(env, "spam", "learn", "ham", ACCOUNT, "INBOX");
            assertEquals("Learned 0 message(s) of INBOX of " + ACCOUNT + " as ham into builtin"
                    + " (4 already learned as ham, skipped; 1 already expunged, skipped)\n", hamAgain.out());

            assertTrue(send(server, spam(100)).startsWith("250 "));
            List<String> junk = await(server, "Junk", l -> l.stream().anyMatch(t -> t.contains("<m100@")));
            assertTrue(junk.get(0).contains("BAYES_SPAM="), junk.get(0));

            CliRun bad = cli(env, "spam", "learn", "maybe", ACCOUNT, "INBOX");
            assertEquals(1, bad.code());
            assertTrue(bad.err().contains("spam or ham"), bad.err());
            CliRun missing = cli(env, "spam", "learn", "ham", ACCOUNT, "Nope");
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("no folder 'Nope'"), missing.err());

            CliRun changedMind = cli(env, "spam", "learn", "ham", ACCOUNT, "Reported");
            assertEquals("Learned 4 message(s) of Reported of " + ACCOUNT + " as ham into builtin"
                    + " (4 learned as spam before, relearned)\n", changedMind.out());
        }
    }
}
