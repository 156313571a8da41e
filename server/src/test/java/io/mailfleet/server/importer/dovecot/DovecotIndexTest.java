package io.mailfleet.server.importer.dovecot;

import io.mailfleet.server.importer.RealDovecot;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DovecotIndex} against index files real Dovecot wrote: delivered mail, a client's CONDSTORE
 * session (flags, keywords, an expunge), then what Dovecot answered for every message (MODSEQ, FLAGS)
 * and the folder (UIDVALIDITY, HIGHESTMODSEQ) is what the reader finds; INBOX has all three files
 * ({@code dovecot.index}, {@code .log.2}, {@code .log}), Archive only a log. Then the same files
 * truncated, corrupted and replaced by garbage: always an answer, never an exception, with the file
 * and the reason when they are not usable.
 */
class DovecotIndexTest {

    private static final String USER = "user@example.com";
    private static final Pattern FETCH = Pattern.compile("UID (\\d+) MODSEQ \\((\\d+)\\) FLAGS \\(([^)]*)\\)");

    /** What Dovecot told the client about a folder: UIDVALIDITY, HIGHESTMODSEQ, uid to {modseq, flags}. */
    record Seen(long uidValidity, long highestModseq, Map<Long, Long> modseqs, Map<Long, Set<String>> flags) {
    }

    @TempDir
    static Path work;
    static Path inbox;
    static Path archive;
    static Map<String, Seen> dovecot = new LinkedHashMap<>();

    @BeforeAll
    static void dovecotWritesItsIndex() throws Exception {
        try (RealDovecot d = RealDovecot.start(work, "maildir")) {
            d.doveadm("mailbox", "create", "-u", USER, "Archive");
            for (int i = 1; i <= 30; i++) {
                d.deliver(USER, "INBOX", "From: a@example.org\nSubject: inbox " + i + "\n\nbody " + i + "\n");
            }
            d.deliver(USER, "Archive", "From: a@example.org\nSubject: archived\n\nbody\n");
            try (Wire c = Wire.imap(d.imapPort())) {
                assertTrue(Wire.last(c.command("L", "LOGIN " + USER + " " + RealDovecot.PASSWORD)).startsWith("L OK"));
                assertTrue(Wire.last(c.command("S", "SELECT INBOX (CONDSTORE)")).startsWith("S OK"));
                for (String store : List.of("UID STORE 2 +FLAGS (\\Seen)", "UID STORE 3 +FLAGS ($Work)",
                        "UID STORE 4 +FLAGS (\\Deleted)", "UID EXPUNGE 4", "UID STORE 5:7 +FLAGS (\\Answered $Later)",
                        "UID STORE 6 -FLAGS ($Later)", "UID STORE 20 FLAGS (\\Draft \\Flagged)")) {
                    assertTrue(Wire.last(c.command("T", store)).startsWith("T OK"), store);
                }
                dovecot.put("INBOX", seen(c, "INBOX"));
                assertTrue(Wire.last(c.command("S2", "SELECT Archive (CONDSTORE)")).startsWith("S2 OK"));
                assertTrue(Wire.last(c.command("T", "UID STORE 1 +FLAGS (\\Flagged)")).startsWith("T OK"));
                dovecot.put("Archive", seen(c, "Archive"));
                c.command("O", "LOGOUT");
            }
            inbox = d.mailbox(USER);
            archive = inbox.resolve(".Archive");
        }
        assertTrue(Files.isRegularFile(inbox.resolve("dovecot.index")), "Dovecot wrote no dovecot.index");
        assertTrue(Files.isRegularFile(inbox.resolve("dovecot.index.log.2")), "Dovecot rotated no log");
        assertFalse(Files.exists(archive.resolve("dovecot.index")), "Archive should have only a log");
    }

    private static Seen seen(Wire c, String folder) throws IOException {
        String sel = String.join("\n", c.command("E", "EXAMINE " + folder + " (CONDSTORE)"));
        long validity = number(sel, "UIDVALIDITY (\\d+)");
        long highest = number(sel, "HIGHESTMODSEQ (\\d+)");
        Map<Long, Long> modseqs = new TreeMap<>();
        Map<Long, Set<String>> flags = new TreeMap<>();
        for (String line : c.command("F", "UID FETCH 1:* (UID MODSEQ FLAGS)")) {
            Matcher m = FETCH.matcher(line);
            if (m.find()) {
                long uid = Long.parseLong(m.group(1));
                modseqs.put(uid, Long.parseLong(m.group(2)));
                Set<String> f = new TreeSet<>(Arrays.asList(m.group(3).split(" ")));
                f.remove("\\Recent");
                f.remove("");
                flags.put(uid, f);
            }
        }
        return new Seen(validity, highest, modseqs, flags);
    }

    @Test
    void readsTheModseqsFlagsAndUidsDovecotReported() {
        for (Map.Entry<String, Path> folder : Map.of("INBOX", inbox, "Archive", archive).entrySet()) {
            Seen want = dovecot.get(folder.getKey());
            DovecotIndex got = DovecotIndex.read(folder.getValue());
            String name = folder.getKey();
            assertTrue(got.usable(), name + ": " + got.problem());
            assertTrue(got.exact(), name + ": " + got.notes());
            assertEquals(want.uidValidity(), got.uidValidity(), name);
            assertEquals(want.highestModseq(), got.highestModseq(), name);
            assertEquals(want.modseqs().keySet(), got.messages().keySet(), name);
            for (long uid : want.modseqs().keySet()) {
                DovecotIndex.Message m = got.message(uid);
                assertEquals(want.modseqs().get(uid), m.modseq(), name + " uid " + uid);
                assertEquals(want.flags().get(uid), new TreeSet<>(m.flags()), name + " uid " + uid);
            }
        }
        assertTrue(dovecot.get("INBOX").flags().get(3L).contains("$Work"));
        assertFalse(dovecot.get("INBOX").modseqs().containsKey(4L));
    }

    @Test
    void brokenFilesAreReportedWithTheFileAndTheReason(@TempDir Path t) throws IOException {
        Path a = copy(inbox, t.resolve("a"));
        byte[] index = Files.readAllBytes(a.resolve("dovecot.index"));
        Files.write(a.resolve("dovecot.index"), Arrays.copyOf(index, 50));
        DovecotIndex r = DovecotIndex.read(a);
        assertFalse(r.usable());
        assertEquals("dovecot.index: truncated: 50 bytes, the header alone has 120", r.problem());

        byte[] v8 = index.clone();
        v8[0] = 8;
        Files.write(a.resolve("dovecot.index"), v8);
        assertEquals("dovecot.index: unknown format version 8." + index[1] + " (this importer reads 7.x, Dovecot 2.x)",
                DovecotIndex.read(a).problem());

        Path b = copy(archive, t.resolve("b"));
        byte[] log = Files.readAllBytes(b.resolve("dovecot.index.log"));
        byte[] v2 = log.clone();
        v2[0] = 2;
        Files.write(b.resolve("dovecot.index.log"), v2);
        assertEquals("dovecot.index.log: unknown format version 2." + log[1] + " (this importer reads 1.x, Dovecot 2.x)",
                DovecotIndex.read(b).problem());

        // a log cut in the middle of a record: the record was being written, Dovecot ignores it as well
        Files.write(b.resolve("dovecot.index.log"), Arrays.copyOf(log, log.length - 3));
        DovecotIndex cut = DovecotIndex.read(b);
        assertTrue(cut.usable(), cut.problem());
        assertTrue(cut.highestModseq() <= dovecot.get("Archive").highestModseq());

        Path empty = Files.createDirectories(t.resolve("empty"));
        assertEquals("no dovecot.index or dovecot.index.log", DovecotIndex.read(empty).problem());
        assertFalse(DovecotIndex.present(empty));
    }

    @Test
    void withAFileMissingTheModseqsAreNeverBelowDovecots(@TempDir Path t) throws IOException {
        Seen want = dovecot.get("INBOX");
        for (String missing : List.of("dovecot.index.log.2", "dovecot.index")) {
            Path dir = copy(inbox, t.resolve(missing));
            Files.delete(dir.resolve(missing));
            DovecotIndex got = DovecotIndex.read(dir);
            assertTrue(got.usable(), missing + ": " + got.problem());
            assertEquals(want.uidValidity(), got.uidValidity(), missing);
            assertEquals(want.highestModseq(), got.highestModseq(), missing + ": the log's counter is exact");
            for (DovecotIndex.Message m : got.messages().values()) {
                // a message the remaining files do not know is imported as changed; one they know never lower
                assertTrue(want.modseqs().containsKey(m.uid()), missing + ": uid " + m.uid() + " was expunged");
                assertTrue(m.modseq() >= want.modseqs().get(m.uid()), missing + ": uid " + m.uid() + " " + m.modseq()
                        + " below Dovecot's " + want.modseqs().get(m.uid()));
            }
        }
    }

    @Test
    void truncatedCorruptedAndRandomFilesNeverThrow(@TempDir Path t) throws IOException {
        Random random = new Random(19);
        List<String> problems = new ArrayList<>();
        for (String file : List.of("dovecot.index", "dovecot.index.log", "dovecot.index.log.2")) {
            byte[] real = Files.readAllBytes(inbox.resolve(file));
            Path dir = copy(inbox, t.resolve("x-" + file));
            for (int len = 0; len < real.length; len += len < 256 ? 1 : 13) {
                Files.write(dir.resolve(file), Arrays.copyOf(real, len));
                check(DovecotIndex.read(dir), problems);
            }
            for (int i = 0; i < 1500; i++) {
                byte[] bad = real.clone();
                for (int k = 0; k <= random.nextInt(4); k++) {
                    bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                }
                Files.write(dir.resolve(file), bad);
                check(DovecotIndex.read(dir), problems);
            }
            for (int i = 0; i < 200; i++) {
                byte[] garbage = new byte[random.nextInt(4096)];
                random.nextBytes(garbage);
                if (garbage.length > 2) {
                    garbage[0] = file.equals("dovecot.index") ? (byte) 7 : (byte) 1; // past the version check
                }
                Files.write(dir.resolve(file), garbage);
                check(DovecotIndex.read(dir), problems);
            }
        }
        assertFalse(problems.isEmpty(), "the corruptions should have been noticed at least once");
        for (String p : problems) {
            assertTrue(p.startsWith("dovecot.index: ") || p.startsWith("dovecot.index.log: ")
                    || p.startsWith("dovecot.index.log.2: ") || p.equals("the index files hold no UIDVALIDITY"), p);
        }
    }

    private static void check(DovecotIndex r, List<String> problems) {
        if (!r.usable()) {
            assertTrue(r.problem() != null && !r.problem().isBlank());
            problems.add(r.problem());
            return;
        }
        assertTrue(r.highestModseq() >= 1);
        for (DovecotIndex.Message m : r.messages().values()) {
            assertTrue(m.modseq() >= 1 && m.modseq() <= r.highestModseq(), m + " above " + r.highestModseq());
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path p : files.toList()) {
                if (Files.isRegularFile(p) && p.getFileName().toString().startsWith("dovecot.index")) {
                    Files.copy(p, to.resolve(p.getFileName()));
                }
            }
        }
        return to;
    }

    private static long number(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        assertTrue(m.find(), regex + " in " + s);
        return Long.parseLong(m.group(1));
    }
}
