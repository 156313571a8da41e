package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import io.mailfleet.testkit.Wire;
import jakarta.mail.Flags;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.mailfleet.cli.CliRun.cli;

/**
 * {@code ./mailfleet import imap} against a third-party IMAP server (GreenMail) holding an account with
 * folders, flags, keywords and old internal dates: everything arrives, a second run adds nothing, and
 * the remote account is unchanged (its unread message is still unread).
 */
class ImapImportEndToEndTest {

    @TempDir
    Path data;
    private RemoteMailbox remote;
    private GreenMailUser old;

    @BeforeEach
    void remote() throws Exception {
        remote = RemoteMailbox.imap();
        old = remote.user("old@remote.test", "old", "old-secret");
        ImapHostManager host = remote.host();
        MailFolder inbox = host.getInbox(old);
        MailFolder archive = host.createMailbox(old, "Archive");
        MailFolder year = host.createMailbox(old, "Archive.2019");
        inbox.appendMessage(message("unread one"), new Flags(), new Date(1_500_000_000_000L));
        Flags seenFlagged = new Flags(Flags.Flag.SEEN);
        seenFlagged.add(Flags.Flag.FLAGGED);
        seenFlagged.add("$Important");
        inbox.appendMessage(message("read and flagged"), seenFlagged, new Date(1_600_000_000_000L));
        archive.appendMessage(message("answered"), new Flags(Flags.Flag.ANSWERED), new Date(1_400_000_000_000L));
        year.appendMessage(message("from 2019"), new Flags(Flags.Flag.SEEN), new Date(1_560_000_000_000L));
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    private static MimeMessage message(String subject) throws Exception {
        return RemoteMailbox.message("old@remote.test", subject);
    }

    @Test
    void everyFolderArrivesWithItsFlagsAndDatesAndTheRemoteIsOnlyRead() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of());
        Path passwordFile = data.resolve("remote-password");
        Files.writeString(passwordFile, "old-secret\n");
        String port = Integer.toString(remote.imapPort());
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("new@example.com", "secret", false))) {
            CliRun first = cli(env, "import", "imap", "--host", "127.0.0.1", "--port", port, "--security", "none",
                    "--user", "old", "--password-file", passwordFile.toString(), "--account", "new@example.com");
            assertEquals(0, first.code(), first.toString());
            assertTrue(first.out().contains("INFO: imported 4 message(s)"), first.out());

            int imap = server.listeners().imapPorts().get(false);
            try (Wire c = Wire.imap(imap)) {
                c.command("l", "LOGIN new@example.com secret");
                List<String> list = c.command("a", "LIST \"\" \"*\"");
                String folders = String.join("\n", list);
                assertTrue(folders.contains("\"Archive\"") || folders.contains(" Archive"), folders);
                assertTrue(folders.contains("Archive/2019"), folders);
                List<String> inbox = c.command("b", "EXAMINE INBOX");
                assertTrue(inbox.contains("* 2 EXISTS"), inbox.toString());
                String fetched = String.join("\n", c.command("c", "FETCH 1:2 (FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])"));
                String one = fetched.substring(0, fetched.indexOf("* 2 FETCH"));
                assertTrue(one.contains("INTERNALDATE \"14-Jul-2017 02:40:00 +0000\"") && !one.contains("\\Seen"), one);
                assertTrue(fetched.contains("\\Seen") && fetched.contains("\\Flagged") && fetched.contains("$Important"),
                        fetched);
                assertTrue(fetched.contains("Subject: read and flagged"), fetched);
                String archived = String.join("\n", c.command("d", "EXAMINE Archive/2019"));
                assertTrue(archived.contains("* 1 EXISTS"), archived);
                String answered = String.join("\n", c.command("e", "EXAMINE Archive"));
                assertTrue(answered.contains("* 1 EXISTS"), answered);
                assertTrue(String.join("\n", c.command("f", "FETCH 1 FLAGS")).contains("\\Answered"));
            }

            CliRun again = cli(env, "import", "imap", "--host", "127.0.0.1", "--port", port, "--security", "none",
                    "--user", "old", "--password-file", passwordFile.toString(), "--account", "new@example.com");
            assertEquals(0, again.code(), again.toString());
            assertTrue(again.out().contains("INFO: imported 0 message(s)") && again.out().contains("4 already there"),
                    again.out());

            CliRun wrong = cli(env, "import", "imap", "--host", "127.0.0.1", "--port", port, "--security", "none",
                    "--user", "old", "--password-file", env.get("MAILFLEET_DATA") + "/api-token",
                    "--account", "new@example.com");
            assertEquals(1, wrong.code(), wrong.toString());
            assertTrue(wrong.err().contains("refused the login of old:"), wrong.err());
        }
        // the remote was only read: the unread message is still unread, nothing was expunged
        List<StoredMessage> left = remote.inbox(old).getMessages();
        assertEquals(2, left.size());
        assertFalse(left.get(0).getFlags().contains(Flags.Flag.SEEN), "the remote's unread message was marked read");
    }
}
