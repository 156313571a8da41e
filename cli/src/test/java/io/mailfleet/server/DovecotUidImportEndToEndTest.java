package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./mailfleet import maildir} of a Maildir written by real Dovecot (the committed fixture of
 * {@code scripts/fixtures/make-dovecot-maildir.sh}): an IMAP client sees every folder under the
 * UIDVALIDITY, UIDNEXT and UIDs Dovecot reported for it ({@code dovecot-status.txt},
 * {@code dovecot-fetch.txt}), so a cached UID still fetches its message and CONDSTORE goes on from
 * there; a folder that already holds messages is not renumbered; broken and duplicate uidlist lines
 * are reported and only their messages get new UIDs; re-running imports nothing.
 */
class DovecotUidImportEndToEndTest {

    static final Path FIXTURE = Path.of("src/test/resources/fixtures/dms-mail");
    private static final Pattern STATUS = Pattern.compile(
            "^(\\S+) messages=(\\d+) uidnext=(\\d+) uidvalidity=(\\d+)$");

    @TempDir
    Path data;
    @TempDir
    Path src;

    @Test
    void clientsSeeDovecotsUidsAfterTheImportAndNewMailContinuesTheNumbering() throws Exception {
        Path mail = copyFixture(src);
        Path maildir = mail.resolve("example.com/user");
        Map<String, long[]> dovecot = dovecotStatus();
        Map<String, Map<Long, Set<String>>> flags = dovecotFlags();
        long inboxValidity = dovecot.get("INBOX")[2];

        Map<String, String> env = TestServers.env(data, Map.of());
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            CliRun run = CliRun.cli(env, "import", "maildir", maildir.toString(),
                    "--account", "user@example.com");
            assertEquals(0, run.code(), run.toString());
            assertTrue(run.out().contains("INFO: 9 message(s) kept the UID they had in the source"), run.out());
            assertTrue(run.out().contains("INFO: imported 9 message(s)"), run.out());
            assertFalse(run.out().contains("NOTE:"), run.out());

            int imap = server.listeners().imapPorts().get(false);
            try (Wire c = Wire.imap(imap)) {
                assertTrue(Wire.last(c.command("L", "LOGIN user@example.com secret")).startsWith("L OK"));
                for (Map.Entry<String, long[]> f : dovecot.entrySet()) {
                    String status = String.join("\n", c.command("ST",
                            "STATUS \"" + utf7(f.getKey()) + "\" (MESSAGES UIDNEXT UIDVALIDITY)"));
                    long[] want = f.getValue();
                    assertTrue(status.contains("MESSAGES " + want[0]) && status.contains("UIDNEXT " + want[1])
                            && status.contains("UIDVALIDITY " + want[2]), f.getKey() + ": " + status);
                }
                for (Map.Entry<String, Map<Long, Set<String>>> f : flags.entrySet()) {
                    assertTrue(Wire.last(c.command("E", "EXAMINE \"" + utf7(f.getKey()) + "\"")).startsWith("E OK"));
                    for (Map.Entry<Long, Set<String>> m : f.getValue().entrySet()) {
                        String fetch = String.join("\n", c.command("U", "UID FETCH " + m.getKey() + " (FLAGS)"));
                        assertEquals(m.getValue(), flagsOf(fetch), f.getKey() + " uid " + m.getKey() + ": " + fetch);
                    }
                }

                // a client's cached uid 4 of INBOX is still the same message, with its keywords
                List<String> selected = c.command("S", "SELECT INBOX (CONDSTORE)");
                String sel = String.join("\n", selected);
                assertTrue(sel.contains("[UIDVALIDITY " + inboxValidity + "]"), sel);
                long highest = number(sel, "HIGHESTMODSEQ (\\d+)");
                assertTrue(highest > 0, sel);
                String four = String.join("\n", c.command("U4",
                        "UID FETCH 4 (UID FLAGS MODSEQ BODY.PEEK[HEADER.FIELDS (SUBJECT)])"));
                assertTrue(four.contains("Subject: inbox message 4"), four);
                assertTrue(four.contains("UID 4"), four);
                assertTrue(number(four, "MODSEQ \\((\\d+)\\)") <= highest, four);
                String three = String.join("\n", c.command("U3", "UID FETCH 3 (FLAGS)"));
                assertFalse(three.contains("FETCH"), "uid 3 was expunged in Dovecot: " + three);
                // CONDSTORE goes on from the imported state: a change is the only thing CHANGEDSINCE reports
                assertTrue(Wire.last(c.command("ST2", "UID STORE 5 +FLAGS.SILENT (\\Seen)")).startsWith("ST2 OK"));
                String changed = String.join("\n", c.command("CH",
                        "UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + highest + ")"));
                assertEquals(1, changed.split("\n").length - 1, changed);
                assertTrue(changed.contains("UID 5"), changed);

                // new mail continues Dovecot's numbering under its UIDVALIDITY
                String msg = "Subject: after the move\r\n\r\nhello\r\n";
                c.send("A APPEND INBOX {" + msg.length() + "}");
                assertTrue(c.line().startsWith("+"));
                c.write(msg + "\r\n");
                String appended = Wire.last(c.untilTagged("A"));
                assertTrue(appended.contains("[APPENDUID " + inboxValidity + " " + dovecot.get("INBOX")[1] + "]"),
                        appended);
            }

            CliRun again = CliRun.cli(env, "import", "maildir", maildir.toString(),
                    "--account", "user@example.com");
            assertEquals(0, again.code(), again.toString());
            assertTrue(again.out().contains("imported 0 message(s)") && again.out().contains("9 already there"),
                    again.out());
            assertFalse(again.out().contains("NOTE:"), again.out());

            // a folder that already holds mail is not renumbered: the import says so and appends
            CliRun add = CliRun.cli(env, "email", "add", "busy@example.com", "s3cret-pw");
            assertEquals(0, add.code(), add.toString());
            long busyValidity;
            try (Wire c = Wire.imap(imap)) {
                assertTrue(Wire.last(c.command("L", "LOGIN busy@example.com s3cret-pw")).startsWith("L OK"));
                String msg = "Subject: already here\r\n\r\nhello\r\n";
                c.send("A APPEND INBOX {" + msg.length() + "}");
                assertTrue(c.line().startsWith("+"));
                c.write(msg + "\r\n");
                assertTrue(Wire.last(c.untilTagged("A")).startsWith("A OK"));
                busyValidity = number(String.join("\n", c.command("ST", "STATUS INBOX (UIDVALIDITY)")),
                        "UIDVALIDITY (\\d+)");
            }
            CliRun busy = CliRun.cli(env, "import", "maildir", maildir.toString(),
                    "--account", "busy@example.com");
            assertEquals(0, busy.code(), busy.toString());
            assertTrue(busy.out().contains("NOTE: INBOX: already holds 1 message(s) under UIDVALIDITY " + busyValidity
                    + " (the source's is " + inboxValidity + "); they keep their UIDs and the imported messages get"
                    + " new ones"), busy.out());
            assertTrue(busy.out().contains("INFO: 5 message(s) kept the UID"), busy.out());
            try (Wire c = Wire.imap(imap)) {
                assertTrue(Wire.last(c.command("L", "LOGIN busy@example.com s3cret-pw")).startsWith("L OK"));
                String status = String.join("\n", c.command("ST", "STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY)"));
                assertTrue(status.contains("UIDVALIDITY " + busyValidity) && status.contains("MESSAGES 5")
                        && status.contains("UIDNEXT 6"), status);
                String sent = String.join("\n", c.command("ST2", "STATUS Sent (UIDVALIDITY UIDNEXT)"));
                assertTrue(sent.contains("UIDVALIDITY " + dovecot.get("Sent")[2]), sent);
            }

            // a uidlist with a duplicate uid and an unreadable line: those messages get new uids
            CliRun add2 = CliRun.cli(env, "email", "add", "third@example.com", "s3cret-pw");
            assertEquals(0, add2.code(), add2.toString());
            List<String> lines = new ArrayList<>(Files.readAllLines(maildir.resolve("dovecot-uidlist")));
            // lines: header, uid 1, 2, 3 (expunged), 4, 5; uid 2's line now claims uid 1 again
            lines.set(2, lines.get(2).replaceFirst("^2 ", "1 "));
            lines.set(4, "garbage without a uid");
            Files.write(maildir.resolve("dovecot-uidlist"), lines);
            CliRun broken = CliRun.cli(env, "import", "maildir", maildir.toString(),
                    "--account", "third@example.com");
            assertEquals(0, broken.code(), broken.toString());
            assertTrue(broken.out().contains("NOTE: dovecot-uidlist: line 3: uid 1 is not above the uid before it (1)"),
                    broken.out());
            assertTrue(broken.out().contains("NOTE: dovecot-uidlist: line 5: unreadable ('garbage without a uid')"),
                    broken.out());
            try (Wire c = Wire.imap(imap)) {
                assertTrue(Wire.last(c.command("L", "LOGIN third@example.com s3cret-pw")).startsWith("L OK"));
                assertTrue(Wire.last(c.command("S", "SELECT INBOX")).startsWith("S OK"));
                String all = String.join("\n", c.command("F", "UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])"));
                assertEquals(1, uidOf(all, "inbox message 1"), all);
                assertEquals(6, uidOf(all, "inbox message 2"), "a new uid after Dovecot's UIDNEXT: " + all);
                assertEquals(7, uidOf(all, "inbox message 4"), all);
                assertEquals(5, uidOf(all, "inbox message 5"), all);
            }
        }
    }

    /** Copies the fixture (symbolic links as links, which Maven's resource copy would not keep). */
    static Path copyFixture(Path into) throws IOException {
        Path target = into.resolve("mail");
        try (Stream<Path> all = Files.walk(FIXTURE)) {
            for (Path p : all.toList()) {
                Path t = target.resolve(FIXTURE.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createDirectories(t.getParent());
                    Files.createSymbolicLink(t, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(t);
                } else {
                    Files.createDirectories(t.getParent());
                    Files.copy(p, t);
                }
            }
        }
        return target;
    }

    /** Folder to {messages, uidnext, uidvalidity} as `doveadm mailbox status` printed them. */
    static Map<String, long[]> dovecotStatus() throws IOException {
        Map<String, long[]> out = parseStatus(Files.readAllLines(FIXTURE.resolve("dovecot-status.txt"),
                StandardCharsets.UTF_8));
        assertEquals(8, out.size(), out.keySet().toString());
        return out;
    }

    /** Lines of `doveadm mailbox status 'messages uidnext uidvalidity'`, parsed. */
    static Map<String, long[]> parseStatus(List<String> lines) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = STATUS.matcher(line.strip());
            if (m.matches()) {
                out.put(m.group(1), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                        Long.parseLong(m.group(4))});
            }
        }
        return out;
    }

    /** Folder to uid to flags (without \Recent, a session's) as `doveadm fetch` printed them. */
    static Map<String, Map<Long, Set<String>>> dovecotFlags() throws IOException {
        return parseFlags(Files.readAllLines(FIXTURE.resolve("dovecot-fetch.txt"), StandardCharsets.UTF_8));
    }

    /** Lines of `doveadm fetch 'mailbox uid flags'`, parsed. */
    static Map<String, Map<Long, Set<String>>> parseFlags(List<String> lines) {
        Map<String, Map<Long, Set<String>>> out = new LinkedHashMap<>();
        String folder = null;
        long uid = 0;
        for (String line : lines) {
            if (line.startsWith("mailbox: ")) {
                folder = line.substring(9);
            } else if (line.startsWith("uid: ")) {
                uid = Long.parseLong(line.substring(5));
            } else if (line.startsWith("flags:")) {
                Set<String> f = new TreeSet<>(Arrays.asList(line.substring(6).strip().split("\\s+")));
                f.remove("\\Recent");
                f.remove("");
                out.computeIfAbsent(folder, k -> new LinkedHashMap<>()).put(uid, f);
            }
        }
        return out;
    }

    private static Set<String> flagsOf(String fetch) {
        Matcher m = Pattern.compile("FLAGS \\(([^)]*)\\)").matcher(fetch);
        assertTrue(m.find(), fetch);
        Set<String> f = new TreeSet<>(Arrays.asList(m.group(1).split(" ")));
        f.remove("\\Recent");
        f.remove("");
        return f;
    }

    private static long uidOf(String responses, String subject) {
        for (String r : responses.split("\n(?=\\* \\d+ FETCH)")) {
            if (r.contains("Subject: " + subject + "\r")) {
                return number(r, "UID (\\d+)");
            }
        }
        throw new AssertionError("no message " + subject + " in " + responses);
    }

    private static long number(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        assertTrue(m.find(), regex + " in " + s);
        return Long.parseLong(m.group(1));
    }

    /** The modified UTF-7 of the fixture's one non-ASCII name. */
    private static String utf7(String folder) {
        return folder.replace("Été", "&AMk-t&AOk-");
    }
}
