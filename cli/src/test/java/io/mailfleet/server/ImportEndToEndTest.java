package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./mailfleet import maildir|mbox} against a running node, with a Maildir and an mbox built
 * here: messages land in the right folders (nested, modified UTF-7 names) with their flags, keywords
 * and internal dates as an IMAP client sees them; broken, empty, huge, non-mail and escaping entries
 * are reported and skipped; a second run imports nothing.
 */
class ImportEndToEndTest {

    @TempDir
    Path data;
    @TempDir
    Path src;

    @Test
    void maildirAndMboxArriveWithFlagsFoldersAndDatesOnceOnly() throws Exception {
        Path maildir = src.resolve("user");
        message(maildir.resolve("cur/1577934245.M1P1.old,S=60:2,RS"), "seen and answered", "2020-01-02T03:04:05Z");
        message(maildir.resolve("new/1609556645.M2P2.old,S=60"), "brand new", "2021-01-02T03:04:05Z");
        message(maildir.resolve("cur/1609556646.M3P3.old:2,DFPTab"), "odd flags", "2021-01-02T03:04:06Z");
        Files.writeString(maildir.resolve("dovecot-keywords"), "0 $Label1\n1 Work\nbroken line\n");
        Files.writeString(maildir.resolve("dovecot-uidlist"), "3 V1 N4\n1 :1577934245.M1P1.old\n");
        Files.writeString(maildir.resolve("subscriptions"), "Lists/Foo\n");
        Files.createDirectories(maildir.resolve("tmp"));
        Files.writeString(maildir.resolve("tmp/1609556647.M4P4.old"), "Subject: half delivered\n");
        Files.createFile(maildir.resolve("cur/1609556648.M5P5.old:2,S"));
        Files.write(maildir.resolve("cur/1609556649.M6P6.old:2,S"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        Path outside = src.resolve("secret.eml");
        Files.writeString(outside, "Subject: not yours\n\nsecret\n");
        Files.createSymbolicLink(maildir.resolve("cur/1609556650.M7P7.old:2,S"), outside);
        try (RandomAccessFile huge = new RandomAccessFile(maildir.resolve("cur/1609556651.M8P8.old:2,").toFile(), "rw")) {
            huge.write("Subject: huge\n\n".getBytes(StandardCharsets.US_ASCII));
            huge.setLength(60L * 1024 * 1024); // sparse: larger than the 50 MB APPEND limit
        }
        message(maildir.resolve(".Lists.Foo/cur/1609556652.M9P9.old:2,S"), "in a nested folder", "2019-05-06T07:08:09Z");
        message(maildir.resolve(".&AMk-t&AOk-/new/1609556653.M10P10.old"), "summer", "2018-07-01T12:00:00Z");
        message(maildir.resolve(".Sent/cur/1609556654.M11P11.old:2,S"), "sent by me", "2017-03-04T05:06:07Z");

        Path mbox = src.resolve("archive.mbox");
        Files.writeString(mbox, """
                From alice@example.org Mon Jan  3 10:20:30 2022
                From: alice@example.org
                Subject: first of the mbox
                Status: RO
                X-Status: AF

                Body line
                >From quoted once
                >>From quoted twice

                From bob@example.org Tue Feb  1 08:00:00 2022
                From: bob@example.org
                Subject: second of the mbox

                text
                """);
        Path notMbox = src.resolve("notes.txt");
        Files.writeString(notMbox, "just some notes\nFrom me\n");

        Map<String, String> env = TestServers.env(data, Map.of());
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            CliRun run = CliRun.cli(env, "import", "maildir", maildir.toString(),
                    "--account", "user@example.com");
            assertEquals(0, run.code(), run.toString());
            String out = run.out();
            assertTrue(out.contains("INFO: imported 6 message(s)"), out);
            assertTrue(out.contains("0 already there, 4 skipped"), out);
            assertTrue(out.contains("skipped cur/1609556648.M5P5.old:2,S: empty (0 bytes)"), out);
            assertTrue(out.contains("skipped cur/1609556649.M6P6.old:2,S: not a mail message"), out);
            assertTrue(out.contains("skipped cur/1609556650.M7P7.old:2,S: symbolic link pointing outside the Maildir"), out);
            assertTrue(out.contains("skipped cur/1609556651.M8P8.old:2,: larger than the message size limit"), out);
            assertFalse(out.contains("half delivered") || out.contains("tmp/"), out);
            assertTrue(out.contains("INFO: created folder Lists/Foo"), out);

            CliRun mboxRun = CliRun.cli(env, "import", "mbox", mbox.toString(),
                    "--account", "user@example.com", "--folder", "Archive/2022");
            assertEquals(0, mboxRun.code(), mboxRun.toString());
            assertTrue(mboxRun.out().contains("INFO: imported 2 message(s)"), mboxRun.out());

            CliRun bad = CliRun.cli(env, "import", "mbox", notMbox.toString(),
                    "--account", "user@example.com", "--folder", "Archive/2022");
            assertEquals(0, bad.code(), bad.toString());
            assertTrue(bad.out().contains("not an mbox file") && bad.out().contains("imported 0 message(s)"), bad.out());
            CliRun noAccount = CliRun.cli(env, "import", "maildir", maildir.toString(),
                    "--account", "nobody@example.com");
            assertEquals(1, noAccount.code(), noAccount.toString());
            assertTrue(noAccount.err().contains("no account nobody@example.com"), noAccount.toString());

            int imap = server.listeners().imapPorts().get(false);
            try (Wire c = Wire.imap(imap)) {
                assertTrue(Wire.last(c.command("L", "LOGIN user@example.com secret")).startsWith("L OK"));
                String list = String.join("\n", c.command("LI", "LIST \"\" \"*\""));
                assertTrue(list.contains("\"Lists/Foo\"") || list.contains(" Lists/Foo"), list);
                assertTrue(list.contains("&AMk-t&AOk-"), list);
                assertTrue(list.contains("Archive/2022"), list);

                assertTrue(Wire.last(c.command("S", "SELECT INBOX")).startsWith("S OK"));
                String inbox = String.join("\n", c.command("F",
                        "FETCH 1:* (FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])"));
                assertEquals(3, count(inbox, "* ", " FETCH "), inbox);
                assertTrue(fetchOf(inbox, "seen and answered").contains("INTERNALDATE \"02-Jan-2020 03:04:05 +0000\""), inbox);
                assertTrue(hasFlags(fetchOf(inbox, "seen and answered"), "\\Seen", "\\Answered"), inbox);
                assertFalse(fetchOf(inbox, "brand new").contains("\\Seen"), inbox);
                assertTrue(hasFlags(fetchOf(inbox, "odd flags"), "\\Draft", "\\Flagged", "$Forwarded", "\\Deleted",
                        "$Label1", "Work"), inbox);
                // stored with CRLF line ends: "Subject: seen and answered\r\n\r\nbody of ...\r\n"
                String expectedSize = "RFC822.SIZE " + ("Subject: seen and answered\r\n\r\nbody of seen and answered\r\n").length();
                assertTrue(fetchOf(inbox, "seen and answered").contains(expectedSize), inbox);

                assertTrue(Wire.last(c.command("S2", "SELECT Lists/Foo")).startsWith("S2 OK"));
                String nested = String.join("\n", c.command("F2", "FETCH 1:* (FLAGS INTERNALDATE)"));
                assertTrue(nested.contains("\\Seen") && nested.contains("06-May-2019 07:08:09 +0000"), nested);

                assertTrue(Wire.last(c.command("S3", "SELECT Archive/2022")).startsWith("S3 OK"));
                String archive = String.join("\n", c.command("F3",
                        "FETCH 1:* (FLAGS INTERNALDATE BODY.PEEK[TEXT] BODY.PEEK[HEADER.FIELDS (SUBJECT)])"));
                String first = fetchOf(archive, "first of the mbox");
                assertTrue(first.contains("03-Jan-2022 10:20:30 +0000"), archive);
                assertTrue(hasFlags(first, "\\Seen", "\\Answered", "\\Flagged"), archive);
                assertTrue(first.contains("Body line\r\nFrom quoted once\r\n>From quoted twice\r\n)")
                        || first.contains("Body line\r\nFrom quoted once\r\n>From quoted twice\r\n "), archive);
                String second = fetchOf(archive, "second of the mbox");
                assertTrue(second.contains("01-Feb-2022 08:00:00 +0000") && !second.contains("\\Seen"), archive);
                assertFalse(second.contains("From bob"), archive);
            }

            CliRun again = CliRun.cli(env, "import", "maildir", maildir.toString(),
                    "--account", "user@example.com");
            assertEquals(0, again.code(), again.toString());
            assertTrue(again.out().contains("imported 0 message(s)") && again.out().contains("6 already there"),
                    again.out());
            CliRun mboxAgain = CliRun.cli(env, "import", "mbox", mbox.toString(),
                    "--account", "user@example.com", "--folder", "Archive/2022");
            assertTrue(mboxAgain.out().contains("imported 0 message(s)") && mboxAgain.out().contains("2 already there"),
                    mboxAgain.out());
            try (Wire c = Wire.imap(imap)) {
                assertTrue(Wire.last(c.command("L", "LOGIN user@example.com secret")).startsWith("L OK"));
                List<String> status = c.command("ST", "STATUS INBOX (MESSAGES)");
                assertTrue(String.join("\n", status).contains("MESSAGES 3"), status.toString());
            }

            // quota: a 1 KiB account takes the messages that fit and reports the others
            CliRun add = CliRun.cli(env, "email", "add", "small@example.com", "s3cret-pw");
            assertEquals(0, add.code(), add.toString());
            CliRun set = CliRun.cli(env, "quota", "set", "small@example.com", "1k");
            assertEquals(0, set.code(), set.toString());
            for (int i = 0; i < 100 && server.node().directory().view().quota("small@example.com").isEmpty(); i++) {
                Thread.sleep(100); // the directory replicates the change to this node's view
            }
            StringBuilder three = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                three.append("From x@example.org Mon Jan  3 10:20:3").append(i).append(" 2022\nSubject: big ").append(i)
                        .append("\n\n").append("x".repeat(400)).append("\n\n");
            }
            Path big = src.resolve("big.mbox");
            Files.writeString(big, three.toString());
            CliRun quota = CliRun.cli(env, "import", "mbox", big.toString(),
                    "--account", "small@example.com", "--folder", "INBOX");
            assertEquals(0, quota.code(), quota.toString());
            assertTrue(quota.out().contains("imported 2 message(s)") && quota.out().contains("1 skipped"), quota.out());
            assertTrue(quota.out().contains("skipped big.mbox message 3: over quota"), quota.out());
        }
    }

    private static void message(Path file, String subject, String mtime) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "Subject: " + subject + "\n\nbody of " + subject + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(mtime)));
    }

    /** The FETCH response (literals inlined) holding {@code subject}. */
    private static String fetchOf(String responses, String subject) {
        for (String r : responses.split("\n(?=\\* \\d+ FETCH)")) {
            if (r.contains("Subject: " + subject + "\r")) {
                return r;
            }
        }
        throw new AssertionError("no FETCH response with subject " + subject + " in " + responses);
    }

    private static boolean hasFlags(String fetch, String... flags) {
        int at = fetch.indexOf("FLAGS (");
        String list = fetch.substring(at + 7, fetch.indexOf(')', at));
        List<String> have = List.of(list.split(" "));
        for (String f : flags) {
            if (!have.contains(f)) {
                return false;
            }
        }
        return true;
    }

    private static int count(String s, String prefix, String infix) {
        int n = 0;
        for (String line : s.split("\n")) {
            if (line.startsWith(prefix) && line.contains(infix)) {
                n++;
            }
        }
        return n;
    }
}
