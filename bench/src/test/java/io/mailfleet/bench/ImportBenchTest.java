package io.mailfleet.bench;

import io.mailfleet.server.importer.ImportSink;
import io.mailfleet.server.importer.MaildirReader;
import io.mailfleet.server.importer.SourceMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench import}: its options, the Maildir it generates as the importer's own reader sees it
 * (folders, UIDs with gaps, flags, keywords, sizes), and a tiny run through {@code import maildir}
 * that imports every message with its UID.
 */
class ImportBenchTest {

    @TempDir
    Path dir;

    @Test
    void optionsHaveTheDocumentedDefaultsAndNameTheBadOne() throws Exception {
        ImportBenchOptions o = ImportBenchOptions.parse(new String[0]);
        assertEquals(20_000, o.messages());
        assertEquals(20 * 1024, o.size());
        assertEquals(1, o.folders());
        ImportBenchOptions j = ImportBenchOptions.parse(new String[] {"--jfr", "x.jfr", "--rerun", "--folders", "3"});
        assertTrue(j.jfr().isAbsolute());
        assertTrue(j.rerun());
        BenchUsageException e = assertThrows(BenchUsageException.class,
                () -> ImportBenchOptions.parse(new String[] {"--messages", "2", "--folders", "3"}));
        assertTrue(e.getMessage().contains("--folders"), e.getMessage());
        e = assertThrows(BenchUsageException.class, () -> ImportBenchOptions.parse(new String[] {"--size", "1x"}));
        assertTrue(e.getMessage().contains("--size"), e.getMessage());
    }

    @Test
    void theGeneratedMaildirReadsAsDovecotWroteIt() throws Exception {
        Path maildir = dir.resolve("m");
        MaildirGenerator.Written w = new MaildirGenerator(101, 4096, 3).write(maildir);
        assertEquals(101, w.messages());
        Map<String, List<SourceMessage>> byFolder = new HashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Long> uidValidity = new HashMap<>();
        new MaildirReader(maildir, '/', "").read(new ImportSink() {
            @Override
            public Outcome message(SourceMessage m) {
                byFolder.computeIfAbsent(m.folder(), f -> new ArrayList<>()).add(m);
                return Outcome.IMPORTED;
            }

            @Override
            public void skipped(String origin, String reason) {
                problems.add(origin + ": " + reason);
            }

            @Override
            public void note(String origin, String text) {
                problems.add(origin + ": " + text);
            }

            @Override
            public void folderUids(String folder, long v) {
                uidValidity.put(folder, v);
            }
        });
        assertEquals(List.of(), problems);
        assertEquals(35, byFolder.get("INBOX").size());
        assertEquals(33, byFolder.get("Sent").size());
        assertEquals(33, byFolder.get("Archive").size());
        assertEquals(3, uidValidity.size(), uidValidity.toString());
        List<SourceMessage> inbox = byFolder.get("INBOX");
        long last = 0;
        boolean gap = false;
        for (SourceMessage m : inbox) {
            assertTrue(m.uid() > last, "uids ascend: " + m.uid() + " after " + last);
            gap |= m.uid() > last + 1;
            last = m.uid();
        }
        assertTrue(gap, "some uids are missing, as expunged messages leave them");
        assertTrue(inbox.stream().anyMatch(m -> m.flags().contains("\\Seen")));
        assertTrue(inbox.stream().anyMatch(m -> m.flags().isEmpty()), "the newest are unread, in new/");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        inbox.get(0).bytes().copyTo(bytes);
        String text = bytes.toString(StandardCharsets.US_ASCII);
        assertEquals(4096, bytes.size());
        assertTrue(text.startsWith("Return-Path: <") && text.contains("\nMessage-ID: <") && text.endsWith("\n"), text);
        assertEquals("Sent\nArchive\n", Files.readString(maildir.resolve("subscriptions")));
    }

    @Test
    void aTinyRunImportsEveryMessageWithItsUid() throws Exception {
        ImportBenchOptions o = ImportBenchOptions.parse(new String[] {"--messages", "40", "--size", "2k",
                "--folders", "2", "--rerun", "--jfr", dir.resolve("run.jfr").toString()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ImportBench(o, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        String report = out.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("imported +(\\d+) \\((\\d+) already there, (\\d+) skipped, (\\d+) kept").matcher(report);
        assertTrue(m.find(), report);
        assertEquals("40", m.group(1), report);
        assertEquals("0", m.group(3), report);
        assertEquals("40", m.group(4), report);
        assertTrue(report.contains("the mailbox holds 40\n"), report);
        assertTrue(Pattern.compile("re-run +0 imported, 40 already there").matcher(report).find(), report);
        assertTrue(report.contains("JFR: "), report);
        assertTrue(Files.size(dir.resolve("run.jfr")) > 0);
    }
}
