package io.mailfleet.server.importer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Maildir flag letters and keywords, mbox splitting, unquoting and flag headers, on real files. */
class SourceReadersTest {

    @TempDir
    Path dir;

    private final List<SourceMessage> messages = new ArrayList<>();
    private final List<String> skips = new ArrayList<>();
    private final ImportSink sink = new ImportSink() {
        @Override
        public Outcome message(SourceMessage message) {
            messages.add(message);
            return Outcome.IMPORTED;
        }

        @Override
        public void skipped(String origin, String reason) {
            skips.add(origin + ": " + reason);
        }
    };

    @Test
    void maildirFlagLettersAndKeywords() {
        List<String> keywords = MaildirFlags.keywords(List.of("0 $Label1", "1 Work", "2 bad(atom", "x y", "30 far"));
        assertEquals(Set.of("\\Seen", "\\Answered", "\\Flagged", "\\Draft", "$Forwarded", "\\Deleted", "$Label1", "Work"),
                MaildirFlags.of("123.M1P1.host,S=10,W=11:2,DFPRSTabc", keywords));
        assertEquals(Set.of(), MaildirFlags.of("123.M1P1.host", keywords));
        assertEquals(Set.of("\\Seen"), MaildirFlags.of("123.M1P1.host;2,S", keywords));
    }

    @Test
    void mboxrdIsSplitAndUnquotedWithFlagsAndDates() throws IOException {
        Path mbox = dir.resolve("m.mbox");
        Files.writeString(mbox, """
                From a@example.org Mon Jan  3 10:20:30 2022
                Subject: one
                Status: RO
                X-Status: ADT
                X-Keywords: $Label1 Work

                >From here
                >>>From deep
                From the middle of a line is not a separator

                From b@example.org Sat Dec 31 23:59:59 +0100 2022
                Subject: two

                last
                """);
        new MboxReader(mbox, "Archive").read(sink);
        assertEquals(List.of(), skips);
        assertEquals(2, messages.size());
        SourceMessage one = messages.get(0);
        assertEquals("Archive", one.folder());
        assertEquals(Instant.parse("2022-01-03T10:20:30Z"), one.internalDate());
        assertEquals(Set.of("\\Seen", "\\Answered", "\\Draft", "\\Deleted", "$Label1", "Work"), one.flags());
        assertEquals("Subject: one\nStatus: RO\nX-Status: ADT\nX-Keywords: $Label1 Work\n\nFrom here\n>>From deep\n"
                + "From the middle of a line is not a separator\n", bytes(one));
        SourceMessage two = messages.get(1);
        assertEquals(Instant.parse("2022-12-31T22:59:59Z"), two.internalDate());
        assertEquals(Set.of(), two.flags());
        assertEquals("Subject: two\n\nlast\n", bytes(two));
    }

    @Test
    void aFileThatIsNotAnMboxIsOneSkip() throws IOException {
        Path notes = dir.resolve("notes");
        Files.writeString(notes, "Subject: hi\n\nFrom here\n");
        new MboxReader(notes, "INBOX").read(sink);
        assertEquals(0, messages.size());
        assertEquals(List.of("notes: not an mbox file: it does not start with a 'From ' line"), skips);
        assertNull(MboxReader.fromDate("From someone without a date"));
    }

    @Test
    void maildirFoldersWithPrefixBadNamesAndEscapingLinks() throws IOException {
        Path root = dir.resolve("maildir");
        Path outside = Files.createDirectories(dir.resolve("elsewhere/cur"));
        Files.writeString(outside.resolve("1.M1P1.h:2,S"), "Subject: not yours\n\nx\n");
        Files.createDirectories(root.resolve("cur"));
        Files.writeString(root.resolve("cur/1.M1P1.h:2,S"), "Subject: in\n\nx\n");
        Files.createDirectories(root.resolve(".Lists.Foo/new"));
        Files.writeString(root.resolve(".Lists.Foo/new/2.M2P2.h"), "Subject: list\n\nx\n");
        Files.createDirectories(root.resolve(".&Jjo/cur"));
        Files.writeString(root.resolve(".&Jjo/cur/3.M3P3.h"), "Subject: bad name\n\nx\n");
        Files.createSymbolicLink(root.resolve(".Evil"), dir.resolve("elsewhere"));
        new MaildirReader(root, '/', "Old").read(sink);
        assertEquals(List.of("Old", "Old/Lists/Foo"), messages.stream().map(SourceMessage::folder).toList());
        assertEquals(Set.of("\\Seen"), messages.get(0).flags());
        assertEquals(Set.of(), messages.get(1).flags());
        assertEquals(2, skips.size(), skips.toString());
        assertTrue(skips.get(0).startsWith(".&Jjo: folder name is not valid modified UTF-7"), skips.toString());
        assertEquals(".Evil: symbolic link pointing outside the Maildir: refused", skips.get(1));
    }

    private static String bytes(SourceMessage m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.bytes().copyTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
