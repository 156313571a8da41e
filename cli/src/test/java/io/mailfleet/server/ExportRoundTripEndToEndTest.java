package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mailfleet.testkit.ExternalTool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./mailfleet export maildir|mbox} and back: an account (filled from the real-Dovecot fixture,
 * plus a message whose body has {@code From } lines) exported to a Maildir and imported into another
 * account shows an IMAP client the same folders, subscriptions, UIDVALIDITY, UIDNEXT, UIDs, flags,
 * keywords, internal dates and bytes; exported to mbox and imported again, the same messages with their
 * flags, keywords and dates (an mbox cannot carry UIDs). Real Dovecot (Debian's dovecot-imapd) reads the
 * exported Maildir and reports the same UIDVALIDITY, UIDNEXT, UIDs and flags: the reverse move works.
 */
class ExportRoundTripEndToEndTest {

    private static final Pattern FETCH = Pattern.compile("^\\* \\d+ FETCH \\((.*)$", Pattern.DOTALL);

    @TempDir
    Path data;
    @TempDir
    Path src;

    @Test
    void anAccountExportedAndImportedElsewhereLooksTheSame() throws Exception {
        Path fixture = DovecotUidImportEndToEndTest.copyFixture(src);
        Map<String, String> env = TestServers.env(data, Map.of());
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            for (String a : List.of("copy@example.com", "mbox@example.com")) {
                CliRun add = CliRun.cli(env, "email", "add", a, "s3cret-pw");
                assertEquals(0, add.code(), add.toString());
            }
            CliRun in = CliRun.cli(env, "import", "maildir",
                    fixture.resolve("example.com/user").toString(), "--account", "user@example.com");
            assertEquals(0, in.code(), in.toString());
            int imap = server.listeners().imapPorts().get(false);
            try (Wire c = login(imap, "user@example.com", "secret")) {
                String msg = "Subject: quoting\r\n\r\nFrom the start\r\n>From once\r\n>>From twice\r\nend\r\n";
                c.send("A APPEND Archive (\\Flagged $Important) \"01-Feb-2021 10:00:00 +0000\" {" + msg.length() + "}");
                assertTrue(c.line().startsWith("+"));
                c.write(msg + "\r\n");
                assertTrue(Wire.last(c.untilTagged("A")).startsWith("A OK"));
            }

            Path maildir = src.resolve("export/maildir");
            CliRun out = CliRun.cli(env, "export", "maildir", maildir.toString(),
                    "--account", "user@example.com");
            assertEquals(0, out.code(), out.toString());
            assertTrue(out.out().contains("INFO: exported 10 message(s)"), out.out());
            assertTrue(Files.readString(maildir.resolve("dovecot-uidlist")).startsWith("3 V"), "Dovecot's format");
            // real Dovecot serves the export with the UIDVALIDITY, UIDNEXT, UIDs and flags Mailfleet has
            List<String> dovecot = dovecotReads(maildir);
            int split = dovecot.indexOf("--");
            Map<String, long[]> status = DovecotUidImportEndToEndTest.parseStatus(dovecot.subList(0, split));
            Map<String, Map<Long, Set<String>>> flags = DovecotUidImportEndToEndTest.parseFlags(
                    dovecot.subList(split + 1, dovecot.size()));
            // Mailfleet made Lists a folder of its own when Lists/Foo came: 9 folders, not the fixture's 8
            assertEquals(9, status.size(), dovecot.toString());
            try (Wire c = login(imap, "user@example.com", "secret")) {
                for (Map.Entry<String, long[]> f : status.entrySet()) {
                    String name = f.getKey().replace("Été", "&AMk-t&AOk-");
                    String st = String.join("\n", c.command("ST", "STATUS \"" + name + "\" (MESSAGES UIDNEXT UIDVALIDITY)"));
                    long[] want = f.getValue();
                    assertTrue(st.contains("MESSAGES " + want[0]) && st.contains("UIDNEXT " + want[1])
                            && st.contains("UIDVALIDITY " + want[2]), f.getKey() + ": " + st + " vs " + dovecot);
                }
                assertEquals(Set.of("$Important", "\\Flagged"), flags.get("Archive").get(2L), flags.toString());
                assertEquals(Set.of("$Label1", "Work"), flags.get("INBOX").get(4L), flags.toString());
                assertEquals(Set.of("\\Answered", "\\Flagged", "\\Seen"), flags.get("INBOX").get(2L), flags.toString());
            }

            CliRun again = CliRun.cli(env, "export", "maildir", maildir.toString(),
                    "--account", "user@example.com");
            assertEquals(1, again.code(), again.toString());
            assertTrue(again.err().contains("is not empty"), again.toString());

            CliRun back = CliRun.cli(env, "import", "maildir", maildir.toString(),
                    "--account", "copy@example.com");
            assertEquals(0, back.code(), back.toString());
            assertTrue(back.out().contains("INFO: 10 message(s) kept the UID"), back.out());

            Map<String, String> original = describe(imap, "user@example.com", "secret", true);
            Map<String, String> copy = describe(imap, "copy@example.com", "s3cret-pw", true);
            assertEquals(original, copy);
            assertTrue(original.get("Archive").contains("$Important"), original.get("Archive"));

            Path mbox = src.resolve("export/mbox");
            CliRun outMbox = CliRun.cli(env, "export", "mbox", mbox.toString(),
                    "--account", "user@example.com");
            assertEquals(0, outMbox.code(), outMbox.toString());
            String archive = Files.readString(mbox.resolve("Archive.mbox"));
            assertTrue(archive.contains("\n>From the start\n>>From once\n>>>From twice\nend\n"), archive);
            assertTrue(Files.isRegularFile(mbox.resolve("Lists/Foo.mbox")));
            for (String folder : List.of("INBOX", "Sent", "Archive", "Lists/Foo", "Été")) {
                CliRun im = CliRun.cli(env, "import", "mbox",
                        mbox.resolve(folder + ".mbox").toString(), "--account", "mbox@example.com", "--folder", folder);
                assertEquals(0, im.code(), im.toString());
            }
            Map<String, String> viaMbox = describe(imap, "mbox@example.com", "s3cret-pw", false);
            Map<String, String> originalNoUids = describe(imap, "user@example.com", "secret", false);
            for (String folder : List.of("INBOX", "Sent", "Archive", "Lists/Foo", "&AMk-t&AOk-")) {
                assertEquals(originalNoUids.get(folder), viaMbox.get(folder), folder);
            }
        }
    }

    /** What real Dovecot reports for a Maildir (scripts/fixtures/dovecot-read-maildir.sh). */
    private static List<String> dovecotReads(Path maildir) throws Exception {
        ExternalTool.require("doveadm", "dovecot-imapd");
        Path script = Path.of("../scripts/fixtures/dovecot-read-maildir.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(script.toString(), maildir.toString()).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] err;
        List<String> lines;
        try (var in = p.getInputStream(); var e = p.getErrorStream()) {
            lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
            err = e.readAllBytes();
        }
        assertEquals(0, p.waitFor(), new String(err, StandardCharsets.UTF_8));
        return lines;
    }

    private static Wire login(int port, String user, String password) throws Exception {
        Wire c = Wire.imap(port);
        assertTrue(Wire.last(c.command("L", "LOGIN " + user + " " + password)).startsWith("L OK"));
        return c;
    }

    /**
     * Folder to what a client sees of it: with {@code uids} the STATUS counters, UIDs and bytes, without
     * them the messages in order with flags, internal date and subject; plus the subscriptions.
     */
    private static Map<String, String> describe(int port, String user, String password, boolean uids) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Wire c = login(port, user, password)) {
            List<String> names = new ArrayList<>();
            for (String line : c.command("LI", "LIST \"\" \"*\"")) {
                Matcher m = Pattern.compile("^\\* LIST \\([^)]*\\) \"/\" \"?([^\"]*)\"?$").matcher(line);
                if (m.matches()) {
                    names.add(m.group(1));
                }
            }
            List<String> subscribed = new ArrayList<>(c.command("LS", "LSUB \"\" \"*\""));
            subscribed.remove(subscribed.size() - 1);
            subscribed.sort(null);
            out.put("(subscriptions)", String.join("\n", subscribed));
            for (String name : names) {
                StringBuilder d = new StringBuilder();
                if (uids) {
                    d.append(String.join("\n", c.command("ST", "STATUS \"" + name + "\" (MESSAGES UIDNEXT UIDVALIDITY)")
                            .subList(0, 1)));
                }
                assertTrue(Wire.last(c.command("E", "EXAMINE \"" + name + "\"")).startsWith("E OK"));
                String items = uids ? "(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])"
                        : "(FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[TEXT])";
                List<String> fetched = c.command("F", "FETCH 1:* " + items);
                for (String r : String.join("\n", fetched.subList(0, fetched.size() - 1)).split("\n(?=\\* \\d+ FETCH)")) {
                    Matcher m = FETCH.matcher(r);
                    if (m.matches()) {
                        d.append('\n').append(m.group(1).replace("\\Recent", "").replaceAll("\\s+", " "));
                    }
                }
                out.put(name, d.toString());
            }
        }
        assertFalse(out.isEmpty());
        return out;
    }
}
