package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.server.importer.RealDovecot;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.mailfleet.server.SdboxImportEndToEndTest.copy;
import static io.mailfleet.server.SdboxImportEndToEndTest.describe;
import static io.mailfleet.server.SdboxImportEndToEndTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./mailfleet import maildir} of a mailbox real Dovecot keeps in its mdbox format
 * ({@code mail_location = mdbox:…}, docker-mailserver's {@code DOVECOT_MAILBOX_FORMAT=mdbox}): the
 * messages found through the map index in the shared {@code storage/m.*} files, every folder with
 * Dovecot's UIDVALIDITY, UIDNEXT, UIDs, flags, keywords, HIGHESTMODSEQ and MODSEQs; then a storage
 * file cut short (its later messages reported, the others imported) and a broken map index (reported,
 * nothing guessed).
 */
class MdboxImportEndToEndTest {

    private static final String USER = "user@example.com";

    @TempDir
    Path dovecotDir;
    @TempDir
    Path data;
    @TempDir
    Path copies;

    @Test
    void dovecotsMdboxMailboxArrivesWithItsUidsFlagsAndModseqs() throws Exception {
        Map<String, SdboxImportEndToEndTest.Folder> dovecot;
        Path userDir;
        List<String> folders = List.of("INBOX", "Archive", "Lists/Foo");
        try (RealDovecot d = RealDovecot.start(dovecotDir, "mdbox")) {
            d.doveadm("mailbox", "create", "-u", USER, "Archive", "Lists/Foo");
            for (int i = 1; i <= 5; i++) {
                d.deliver(USER, "INBOX", "From: a@example.org\nSubject: inbox " + i + "\n\nbody " + i + "\n");
            }
            d.deliver(USER, "Archive", "Subject: archived\n\nold\n");
            d.deliver(USER, "Lists/Foo", "Subject: list\n\nposting\n");
            try (Wire c = Wire.imap(d.imapPort())) {
                ok(c, "LOGIN " + USER + " " + RealDovecot.PASSWORD);
                ok(c, "SELECT INBOX (CONDSTORE)");
                for (String s : List.of("UID STORE 1 +FLAGS (\\Seen $Work)", "UID STORE 2 +FLAGS (\\Deleted)",
                        "UID EXPUNGE 2", "UID STORE 4 +FLAGS (\\Flagged)")) {
                    ok(c, s);
                }
                dovecot = describe(c, folders);
                c.command("O", "LOGOUT");
            }
            userDir = d.mailbox(USER);
        }
        assertTrue(Files.isRegularFile(userDir.resolve("storage/m.1")));

        Path cut = copy(userDir, copies.resolve("cut"));
        byte[] m1 = Files.readAllBytes(cut.resolve("storage/m.1"));
        Files.write(cut.resolve("storage/m.1"), Arrays.copyOf(m1, m1.length / 2));
        Path noMap = copy(userDir, copies.resolve("nomap"));
        try (var files = Files.list(noMap.resolve("storage"))) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().startsWith("dovecot.map.index")) {
                    byte[] b = Files.readAllBytes(p);
                    b[0] = 9;
                    Files.write(p, b);
                }
            }
        }

        Map<String, String> env = TestServers.env(data, Map.of());
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(USER, "secret", false))) {
            CliRun run = CliRun.cli(env, "import", "maildir", userDir.toString(),
                    "--account", USER);
            assertEquals(0, run.code(), run.toString());
            assertTrue(run.out().contains("INFO: imported 6 message(s)"), run.out());
            assertTrue(run.out().contains("INFO: 6 message(s) kept the UID they had in the source"), run.out());
            assertFalse(run.out().contains("NOTE:") || run.out().contains("WARNING:"), run.out());
            int imap = server.listeners().imapPorts().get(false);
            try (Wire c = Wire.imap(imap)) {
                ok(c, "LOGIN " + USER + " secret");
                assertEquals(dovecot, describe(c, folders));
            }

            assertEquals(0, CliRun.cli(env, "email", "add", "cut@example.com", "s3cret-pw").code());
            CliRun partly = CliRun.cli(env, "import", "maildir", cut.toString(),
                    "--account", "cut@example.com");
            assertEquals(0, partly.code(), partly.toString());
            assertTrue(partly.out().contains("WARNING: skipped storage/m.1 offset "), partly.out());
            assertTrue(partly.out().contains("unreadable dbox message"), partly.out());
            try (Wire c = Wire.imap(imap)) {
                ok(c, "LOGIN cut@example.com s3cret-pw");
                Map<String, SdboxImportEndToEndTest.Folder> got = describe(c, folders);
                // what was imported is Dovecot's, under Dovecot's UIDs
                for (String f : folders) {
                    Map<Long, String> want = new TreeMap<>(dovecot.get(f).bodies());
                    want.keySet().retainAll(got.get(f).bodies().keySet());
                    assertEquals(want, got.get(f).bodies(), f);
                }
                assertTrue(got.get("INBOX").bodies().size() < dovecot.get("INBOX").bodies().size(), got.toString());
            }

            assertEquals(0, CliRun.cli(env, "email", "add", "nomap@example.com", "s3cret-pw").code());
            CliRun none = CliRun.cli(env, "import", "maildir", noMap.toString(),
                    "--account", "nomap@example.com");
            assertEquals(0, none.code(), none.toString());
            assertTrue(none.out().contains("WARNING: skipped storage: the map index cannot be read (dovecot.map.index"),
                    none.out());
            assertTrue(none.out().contains("unknown format version 9."), none.out());
            assertTrue(none.out().contains("INFO: imported 0 message(s)"), none.out());
        }
    }
}
