package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.server.importer.RealDovecot;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./mailfleet import maildir} of a mailbox real Dovecot keeps in its sdbox format
 * ({@code mail_location = sdbox:…}, docker-mailserver's {@code DOVECOT_MAILBOX_FORMAT=sdbox}): every
 * folder (a hierarchy, a modified UTF-7 name) with Dovecot's UIDVALIDITY, UIDNEXT, UIDs, flags,
 * keywords, HIGHESTMODSEQ and MODSEQs, the bodies byte for byte, the subscriptions; then a damaged
 * copy (a truncated message file, a file that is no dbox file, a folder whose index is broken):
 * each reported precisely, everything else imported.
 */
class SdboxImportEndToEndTest {

    private static final String USER = "user@example.com";
    private static final Pattern UID = Pattern.compile("UID (\\d+)");
    private static final Pattern MODSEQ = Pattern.compile("MODSEQ \\((\\d+)\\)");
    private static final Pattern FLAGS = Pattern.compile("FLAGS \\(([^)]*)\\)");

    @TempDir
    Path dovecotDir;
    @TempDir
    Path data;
    @TempDir
    Path copies;

    /** A folder as an IMAP client sees it: STATUS values, uid to "modseq flags", uid to the message text. */
    record Folder(String status, Map<Long, String> messages, Map<Long, String> bodies) {
    }

    @Test
    void dovecotsSdboxMailboxArrivesWithItsUidsFlagsAndModseqs() throws Exception {
        Map<String, Folder> dovecot;
        Path userDir;
        List<String> folders = List.of("INBOX", "Archive", "Lists/Foo", "&AMk-t&AOk-");
        try (RealDovecot d = RealDovecot.start(dovecotDir, "sdbox")) {
            d.doveadm("mailbox", "create", "-u", USER, "Archive", "Lists/Foo", "Été");
            d.doveadm("mailbox", "subscribe", "-u", USER, "Lists/Foo");
            for (int i = 1; i <= 6; i++) {
                d.deliver(USER, "INBOX", "From: a@example.org\nSubject: inbox " + i + "\n\nline one\r\nline " + i + "\n");
            }
            d.deliver(USER, "Archive", "Subject: archived\n\nold\n");
            d.deliver(USER, "Lists/Foo", "Subject: list\nList-Id: <foo.example.org>\n\nposting\n");
            d.deliver(USER, "Été", "Subject: summer\n\nété\n");
            try (Wire c = Wire.imap(d.imapPort())) {
                ok(c, "LOGIN " + USER + " " + RealDovecot.PASSWORD);
                ok(c, "SELECT INBOX (CONDSTORE)");
                for (String s : List.of("UID STORE 1:2 +FLAGS (\\Seen)", "UID STORE 2 +FLAGS (\\Answered $Label1 Work)",
                        "UID STORE 3 +FLAGS (\\Deleted)", "UID EXPUNGE 3", "UID STORE 5 +FLAGS (\\Flagged \\Draft)")) {
                    ok(c, s);
                }
                ok(c, "SELECT Archive");
                ok(c, "UID STORE 1 +FLAGS ($Important)");
                dovecot = describe(c, folders);
                c.command("O", "LOGOUT");
            }
            userDir = d.mailbox(USER);
        }
        assertTrue(Files.isRegularFile(userDir.resolve("mailboxes/INBOX/dbox-Mails/u.1")));
        assertFalse(Files.exists(userDir.resolve("mailboxes/INBOX/dbox-Mails/u.3")), "uid 3 was expunged");

        Path damaged = copy(userDir, copies.resolve("damaged"));
        Path inbox = damaged.resolve("mailboxes/INBOX/dbox-Mails");
        byte[] one = Files.readAllBytes(inbox.resolve("u.1"));
        Files.write(inbox.resolve("u.1"), Arrays.copyOf(one, one.length - 60));
        Files.writeString(inbox.resolve("u.4"), "Subject: not a dbox file\n\nhello\n");
        Path archive = damaged.resolve("mailboxes/Archive/dbox-Mails");
        try (Stream<Path> files = Files.list(archive)) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().startsWith("dovecot.index")) {
                    byte[] b = Files.readAllBytes(p);
                    b[0] = 9; // an index format from the future
                    Files.write(p, b);
                }
            }
        }

        Map<String, String> env = TestServers.env(data, Map.of());
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(USER, "secret", false))) {
            CliRun run = CliRun.cli(env, "import", "maildir", userDir.toString(),
                    "--account", USER);
            assertEquals(0, run.code(), run.toString());
            assertTrue(run.out().contains("INFO: imported 8 message(s)"), run.out());
            assertTrue(run.out().contains("INFO: 8 message(s) kept the UID they had in the source"), run.out());
            assertTrue(run.out().contains("INFO: INBOX: HIGHESTMODSEQ "), run.out());
            assertFalse(run.out().contains("NOTE:") || run.out().contains("WARNING:"), run.out());
            assertTrue(run.out().contains("INFO: subscribed to Lists/Foo"), run.out());
            int imap = server.listeners().imapPorts().get(false);
            try (Wire c = Wire.imap(imap)) {
                ok(c, "LOGIN " + USER + " secret");
                assertEquals(dovecot, describe(c, folders));
            }

            CliRun add = CliRun.cli(env, "email", "add", "damaged@example.com", "s3cret-pw");
            assertEquals(0, add.code(), add.toString());
            CliRun bad = CliRun.cli(env, "import", "maildir", damaged.toString(),
                    "--account", "damaged@example.com");
            assertEquals(0, bad.code(), bad.toString());
            assertTrue(bad.out().contains("WARNING: skipped mailboxes/INBOX/dbox-Mails/u.1: unreadable dbox file:"
                    + " truncated: the message has "), bad.out());
            assertTrue(bad.out().contains("WARNING: skipped mailboxes/INBOX/dbox-Mails/u.4: unreadable dbox file:"
                    + " not a dbox version 2 file (header 'Subject: not a dbox file')"), bad.out());
            assertTrue(bad.out().contains("NOTE: Archive: mailboxes/Archive/dbox-Mails: dovecot.index"), bad.out());
            assertTrue(bad.out().contains("unknown format version 9."), bad.out());
            assertTrue(bad.out().contains("the folder's messages are imported with new UIDs and without flags"),
                    bad.out());
            assertTrue(bad.out().contains("INFO: imported 6 message(s)"), bad.out());
            try (Wire c = Wire.imap(imap)) {
                ok(c, "LOGIN damaged@example.com s3cret-pw");
                Map<String, Folder> got = describe(c, folders);
                assertEquals(dovecot.get("Lists/Foo"), got.get("Lists/Foo"));
                Map<Long, String> want = new TreeMap<>(dovecot.get("INBOX").bodies());
                want.remove(1L);
                want.remove(4L);
                assertEquals(want, got.get("INBOX").bodies());
                assertEquals(List.copyOf(dovecot.get("Archive").bodies().values()),
                        List.copyOf(got.get("Archive").bodies().values()));
            }
        }
    }

    static Map<String, Folder> describe(Wire c, List<String> folders) throws IOException {
        Map<String, Folder> out = new LinkedHashMap<>();
        for (String f : folders) {
            String status = String.join("\n", c.command("ST", "STATUS \"" + f + "\" (MESSAGES UIDNEXT UIDVALIDITY"
                    + " HIGHESTMODSEQ)"));
            Map<String, String> counters = new TreeMap<>();
            Matcher m = Pattern.compile("(MESSAGES|UIDNEXT|UIDVALIDITY|HIGHESTMODSEQ) (\\d+)").matcher(status);
            while (m.find()) {
                counters.put(m.group(1), m.group(2));
            }
            assertEquals(4, counters.size(), status);
            ok(c, "EXAMINE \"" + f + "\"");
            Map<Long, String> messages = new TreeMap<>();
            for (String line : c.command("F", "UID FETCH 1:* (UID MODSEQ FLAGS)")) {
                Matcher uid = UID.matcher(line);
                Matcher modseq = MODSEQ.matcher(line);
                Matcher flagList = FLAGS.matcher(line);
                if (uid.find() && modseq.find() && flagList.find()) {
                    Set<String> flags = new TreeSet<>(Arrays.asList(flagList.group(1).split(" ")));
                    flags.remove("\\Recent");
                    flags.remove("");
                    messages.put(Long.parseLong(uid.group(1)), modseq.group(1) + " " + flags);
                }
            }
            Map<Long, String> bodies = new TreeMap<>();
            for (long uid : messages.keySet()) {
                // the literal (inlined by Wire), without what follows it in the response; line ends as LF
                // (how each server presents stored line ends is not what this test is about)
                String r = c.command("B", "UID FETCH " + uid + " (BODY.PEEK[])").stream()
                        .filter(l -> l.contains(" FETCH ")).findFirst().orElseThrow();
                bodies.put(uid, r.substring(r.indexOf("}\r\n") + 3).replaceFirst("( UID \\d+)?\\)$", "")
                        .replace("\r\n", "\n"));
            }
            out.put(f, new Folder(counters.toString(), messages, bodies));
        }
        return out;
    }

    static void ok(Wire c, String command) throws IOException {
        List<String> r = c.command("T", command);
        assertTrue(Wire.last(r).startsWith("T OK"), command + ": " + r);
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }
}
