package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.server.importer.RealDovecot;
import io.mailfleet.server.importer.dovecot.FolderModseqs;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
 * A CONDSTORE client moves from real Dovecot to Mailfleet: Dovecot delivers mail, the client selects
 * with CONDSTORE, changes flags and keywords, expunges, and caches Dovecot's HIGHESTMODSEQ at two
 * points; after {@code ./mailfleet import maildir} of Dovecot's Maildir (with its binary index files)
 * the client's cached UIDs name the same messages, HIGHESTMODSEQ and every message's MODSEQ are
 * Dovecot's, {@code CHANGEDSINCE} either cached value answers exactly what Dovecot answered, and a
 * flag changed after the move is exactly what {@code CHANGEDSINCE} the cached value reports. With a
 * broken {@code dovecot.index} the import says so and falls back above any modseq Dovecot could
 * have had: the client fetches the flags once, and later changes are still reported.
 */
class DovecotCondstoreImportEndToEndTest {

    private static final String USER = "user@example.com";
    private static final Pattern MODSEQ = Pattern.compile("UID (\\d+) MODSEQ \\((\\d+)\\)");
    private static final Pattern FETCH_UID = Pattern.compile("^\\* \\d+ FETCH \\(.*UID (\\d+)");

    @TempDir
    Path dovecotDir;
    @TempDir
    Path data;
    @TempDir
    Path copies;

    /** What the client cached from Dovecot about one folder. */
    record Cached(long uidValidity, long early, long highest, Set<Long> changedSinceEarly, Map<Long, Long> modseqs,
                  Map<Long, String> subjects) {
    }

    @Test
    void aClientsCachedUidsAndModseqsStillResolveAfterTheMove() throws Exception {
        Cached inbox;
        Cached archive;
        Path maildir;
        try (RealDovecot d = RealDovecot.start(dovecotDir, "maildir")) {
            d.doveadm("mailbox", "create", "-u", USER, "Archive");
            for (int i = 1; i <= 30; i++) {
                d.deliver(USER, "INBOX", "From: a@example.org\nSubject: inbox " + i + "\n\nbody " + i + "\n");
            }
            d.deliver(USER, "Archive", "From: a@example.org\nSubject: archived 1\n\nbody\n");
            d.deliver(USER, "Archive", "From: a@example.org\nSubject: archived 2\n\nbody\n");
            try (Wire c = Wire.imap(d.imapPort())) {
                ok(c, "LOGIN " + USER + " " + RealDovecot.PASSWORD);
                inbox = cache(c, "INBOX", List.of("UID STORE 2 +FLAGS (\\Seen)", "UID STORE 3 +FLAGS ($Work)",
                                "UID STORE 4 +FLAGS (\\Deleted)", "UID EXPUNGE 4"),
                        List.of("UID STORE 10 +FLAGS (\\Flagged)", "UID STORE 11 +FLAGS ($Later)",
                                "UID STORE 12 +FLAGS (\\Deleted)", "UID EXPUNGE 12"));
                archive = cache(c, "Archive", List.of("UID STORE 1 +FLAGS (\\Seen)"),
                        List.of("UID STORE 2 +FLAGS (\\Answered)"));
                c.command("O", "LOGOUT");
            }
            maildir = d.mailbox(USER);
        }
        assertEquals(Set.of(10L, 11L), inbox.changedSinceEarly(), "Dovecot's own answer");
        assertTrue(Files.isRegularFile(maildir.resolve("dovecot.index")));
        Path broken = copy(maildir, copies.resolve("broken"));
        byte[] index = Files.readAllBytes(broken.resolve("dovecot.index"));
        Files.write(broken.resolve("dovecot.index"), Arrays.copyOf(index, 50));

        Map<String, String> env = TestServers.env(data, Map.of());
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(USER, "secret", false))) {
            CliRun run = CliRun.cli(env, "import", "maildir", maildir.toString(),
                    "--account", USER);
            assertEquals(0, run.code(), run.toString());
            assertTrue(run.out().contains("INFO: INBOX: HIGHESTMODSEQ " + inbox.highest()
                    + " and the messages' modseqs kept from Dovecot's index"), run.out());
            assertTrue(run.out().contains("INFO: Archive: HIGHESTMODSEQ " + archive.highest()
                    + " and the messages' modseqs kept from Dovecot's index"), run.out());
            assertFalse(run.out().contains("NOTE:"), run.out());

            int imap = server.listeners().imapPorts().get(false);
            try (Wire c = Wire.imap(imap)) {
                ok(c, "LOGIN " + USER + " secret");
                for (Map.Entry<String, Cached> f : Map.of("INBOX", inbox, "Archive", archive).entrySet()) {
                    Cached want = f.getValue();
                    String sel = String.join("\n", c.command("S", "SELECT " + f.getKey() + " (CONDSTORE)"));
                    assertEquals(want.uidValidity(), number(sel, "UIDVALIDITY (\\d+)"), sel);
                    assertEquals(want.highest(), number(sel, "HIGHESTMODSEQ (\\d+)"), sel);
                    assertEquals(want.modseqs(), modseqs(c), f.getKey());
                    assertEquals(want.subjects(), subjects(c), f.getKey() + ": a cached UID names another message");
                    assertEquals(Set.of(), changedSince(c, want.highest()), f.getKey());
                    assertEquals(want.changedSinceEarly(), changedSince(c, want.early()), f.getKey());
                    long uid = want.subjects().keySet().iterator().next();
                    ok(c, "UID STORE " + uid + " +FLAGS.SILENT (\\Flagged $Moved)");
                    assertEquals(Set.of(uid), changedSince(c, want.highest()), f.getKey());
                }
            }

            CliRun add = CliRun.cli(env, "email", "add", "broken@example.com", "s3cret-pw");
            assertEquals(0, add.code(), add.toString());
            CliRun fallback = CliRun.cli(env, "import", "maildir", broken.toString(),
                    "--account", "broken@example.com");
            assertEquals(0, fallback.code(), fallback.toString());
            assertTrue(fallback.out().contains("NOTE: INBOX: dovecot.index: truncated: 50 bytes, the header alone has"
                    + " 120; modseqs start above " + FolderModseqs.FALLBACK_HIGHEST_MODSEQ + ", so CONDSTORE clients"
                    + " fetch the folder's flags once"), fallback.out());
            assertTrue(fallback.out().contains("INFO: INBOX: Dovecot index not usable: modseqs start above"),
                    fallback.out());
            try (Wire c = Wire.imap(imap)) {
                ok(c, "LOGIN broken@example.com s3cret-pw");
                String sel = String.join("\n", c.command("S", "SELECT INBOX (CONDSTORE)"));
                assertEquals(inbox.uidValidity(), number(sel, "UIDVALIDITY (\\d+)"), sel);
                long highest = number(sel, "HIGHESTMODSEQ (\\d+)");
                assertTrue(highest > FolderModseqs.FALLBACK_HIGHEST_MODSEQ, sel);
                assertEquals(inbox.subjects(), subjects(c));
                // nothing proves which flags changed after the client's cached value: it gets them all once
                assertEquals(inbox.subjects().keySet(), changedSince(c, inbox.highest()));
                ok(c, "UID STORE 5 +FLAGS.SILENT (\\Flagged)");
                assertEquals(Set.of(5L), changedSince(c, highest));
            }
        }
    }

    /**
     * Selects {@code folder} with CONDSTORE on Dovecot, makes the {@code before} changes, caches the
     * HIGHESTMODSEQ, makes the {@code after} changes, and caches what a client then knows.
     */
    private static Cached cache(Wire c, String folder, List<String> before, List<String> after) throws IOException {
        ok(c, "SELECT " + folder + " (CONDSTORE)");
        before.forEach(s -> ok(c, s));
        long early = number(String.join("\n", c.command("E", "EXAMINE " + folder + " (CONDSTORE)")),
                "HIGHESTMODSEQ (\\d+)");
        ok(c, "SELECT " + folder + " (CONDSTORE)");
        after.forEach(s -> ok(c, s));
        String sel = String.join("\n", c.command("E", "EXAMINE " + folder + " (CONDSTORE)"));
        return new Cached(number(sel, "UIDVALIDITY (\\d+)"), early, number(sel, "HIGHESTMODSEQ (\\d+)"),
                changedSince(c, early), modseqs(c), subjects(c));
    }

    private static Set<Long> changedSince(Wire c, long modseq) throws IOException {
        Set<Long> uids = new TreeSet<>();
        for (String line : c.command("CH", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + modseq + ")")) {
            Matcher m = FETCH_UID.matcher(line);
            if (m.find()) {
                uids.add(Long.parseLong(m.group(1)));
            }
        }
        return uids;
    }

    private static Map<Long, Long> modseqs(Wire c) throws IOException {
        Map<Long, Long> out = new TreeMap<>();
        for (String line : c.command("M", "UID FETCH 1:* (UID MODSEQ)")) {
            Matcher m = MODSEQ.matcher(line);
            if (m.find()) {
                out.put(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            }
        }
        return out;
    }

    private static Map<Long, String> subjects(Wire c) throws IOException {
        Map<Long, String> out = new TreeMap<>();
        String all = String.join("\n", c.command("H", "UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])"));
        for (String r : all.split("\n(?=\\* \\d+ FETCH)")) {
            Matcher uid = Pattern.compile("UID (\\d+)").matcher(r);
            Matcher subject = Pattern.compile("Subject: ([^\r\n]*)").matcher(r);
            if (uid.find() && subject.find()) {
                out.put(Long.parseLong(uid.group(1)), subject.group(1));
            }
        }
        return out;
    }

    private static void ok(Wire c, String command) {
        try {
            List<String> r = c.command("T", command);
            assertTrue(Wire.last(r).startsWith("T OK"), command + ": " + r);
        } catch (IOException e) {
            throw new AssertionError(command, e);
        }
    }

    private static long number(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        assertTrue(m.find(), regex + " in " + s);
        return Long.parseLong(m.group(1));
    }

    private static Path copy(Path from, Path to) throws IOException {
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
