package io.mailfleet.server.imap;

import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The advertised IMAP extensions through raw scripted sessions against a real node: CONDSTORE,
 * QRESYNC, ESEARCH, SEARCHRES, SORT, THREAD, LIST-EXTENDED, LIST-STATUS, CREATE-SPECIAL-USE,
 * STATUS=SIZE, BINARY, MULTIAPPEND and COMPRESS=DEFLATE.
 */
class ImapExtensionsTest {

    @TempDir
    static Path data;
    static ImapTestNode node;
    static ImapServer imap;
    /** The same node with {@code UTF8=ACCEPT} advertised ({@code mailfleet.imap.utf8-accept = true}). */
    static ImapServer utf8Imap;

    @BeforeAll
    static void start() throws Exception {
        node = ImapTestNode.start(data);
        imap = node.listen(ImapTestNode.settings().withAppendLimit(1_000_000));
        utf8Imap = node.listen(ImapTestNode.settings().withUtf8Accept(true));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Wire login() throws Exception {
        return login(imap);
    }

    static Wire login(ImapServer server) throws Exception {
        Wire c = Wire.imap(server.port());
        List<String> r = c.command("L", "LOGIN user@example.com secret");
        assertTrue(Wire.last(r).startsWith("L OK"), r.toString());
        return c;
    }

    static void ok(List<String> reply) {
        String last = Wire.last(reply);
        assertTrue(last.matches("\\S+ OK.*"), reply.toString());
    }

    static void append(Wire c, String folder, String flags, String message) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        ok(c.command("ap", "APPEND " + folder + (flags.isEmpty() ? "" : " (" + flags + ")") + " {" + b.length + "+}\r\n"
                + message));
    }

    static long number(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no " + regex + " in " + lines);
    }

    static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + lines));
    }

    @Test
    void capabilitiesAdvertiseTheTestedExtensions() throws Exception {
        try (Wire c = login()) {
            String caps = c.command("c", "CAPABILITY").get(0);
            for (String ext : List.of("CONDSTORE", "QRESYNC", "ESEARCH", "SEARCHRES", "SORT", "THREAD=ORDEREDSUBJECT",
                    "THREAD=REFERENCES", "LIST-EXTENDED", "LIST-STATUS", "CREATE-SPECIAL-USE", "STATUS=SIZE", "BINARY",
                    "MULTIAPPEND", "COMPRESS=DEFLATE")) {
                assertTrue(caps.contains(" " + ext), ext + " in " + caps);
            }
            assertFalse(caps.contains("UTF8=ACCEPT"), "off unless mailfleet.imap.utf8-accept: " + caps);
        }
    }

    @Test
    void condstoreModseqsConditionalStoreAndChangedSince() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Cond"));
            for (int i = 0; i < 3; i++) {
                append(c, "Cond", "", "Subject: c" + i + "\r\n\r\nbody\r\n");
            }
            List<String> sel = c.command("s", "SELECT Cond (CONDSTORE)");
            long highest = number(sel, "HIGHESTMODSEQ (\\d+)");
            List<String> f = c.command("f", "FETCH 1:* (UID MODSEQ)");
            assertEquals(4, f.size(), f.toString());
            long m1 = number(f.subList(0, 1), "MODSEQ \\((\\d+)\\)");
            assertTrue(m1 > 0 && m1 <= highest, f.toString());

            List<String> st = c.command("st", "STORE 1 (UNCHANGEDSINCE " + m1 + ") +FLAGS (\\Flagged)");
            ok(st);
            long m1b = number(st, "MODSEQ \\((\\d+)\\)");
            assertTrue(m1b > highest, st.toString());
            List<String> stale = c.command("st2", "STORE 1:2 (UNCHANGEDSINCE " + highest + ") +FLAGS (\\Seen)");
            assertTrue(Wire.last(stale).startsWith("st2 OK [MODIFIED 1]"), stale.toString());
            assertTrue(stale.stream().anyMatch(l -> l.startsWith("* 2 FETCH") && l.contains("\\Seen")), stale.toString());

            List<String> changed = c.command("cs", "FETCH 1:* (FLAGS) (CHANGEDSINCE " + highest + ")");
            assertEquals(3, changed.size(), changed.toString());
            assertTrue(changed.get(0).startsWith("* 1 FETCH") && changed.get(0).contains("MODSEQ"), changed.toString());
            assertTrue(changed.get(1).startsWith("* 2 FETCH"), changed.toString());

            List<String> search = c.command("se", "SEARCH MODSEQ " + (highest + 1));
            assertTrue(search.get(0).matches("\\* SEARCH 1 2 \\(MODSEQ \\d+\\)"), search.toString());
            List<String> status = c.command("ss", "STATUS Cond (HIGHESTMODSEQ MESSAGES SIZE)");
            assertTrue(number(status, "HIGHESTMODSEQ (\\d+)") > m1b, status.toString());

            ok(c.command("d", "STORE 3 +FLAGS.SILENT (\\Deleted)"));
            List<String> ex = c.command("x", "UID EXPUNGE 1:*");
            assertTrue(ex.contains("* 3 EXPUNGE"), ex.toString());
            assertTrue(Wire.last(ex).startsWith("x OK [HIGHESTMODSEQ "), ex.toString());
        }
    }

    @Test
    void enableCondstoreWhileSelectedReportsHighestModseq() throws Exception {
        try (Wire c = login()) {
            ok(c.command("s", "SELECT INBOX"));
            List<String> en = c.command("e", "ENABLE CONDSTORE");
            assertTrue(en.contains("* ENABLED CONDSTORE"), en.toString());
            assertTrue(en.stream().anyMatch(l -> l.startsWith("* OK [HIGHESTMODSEQ ")), en.toString());
        }
    }

    @Test
    void qresyncSelectReportsVanishedAndChangesAndExpungesBecomeVanished() throws Exception {
        try (Wire a = login(); Wire b = login()) {
            ok(a.command("c", "CREATE Resync"));
            for (int i = 0; i < 5; i++) {
                append(a, "Resync", "", "Subject: r" + i + "\r\n\r\nbody\r\n");
            }
            assertTrue(Wire.last(a.command("bad", "SELECT Resync (QRESYNC (1 1))")).startsWith("bad BAD"));
            assertTrue(a.command("e", "ENABLE QRESYNC").contains("* ENABLED QRESYNC"));
            List<String> sel = a.command("s", "SELECT Resync");
            long validity = number(sel, "UIDVALIDITY (\\d+)");
            long highest = number(sel, "HIGHESTMODSEQ (\\d+)");
            ok(a.command("u", "UNSELECT"));

            // Another session changes the folder while this one is away.
            ok(b.command("s", "SELECT Resync"));
            ok(b.command("st", "UID STORE 2 +FLAGS (\\Answered)"));
            ok(b.command("d", "UID STORE 3:4 +FLAGS (\\Deleted)"));
            ok(b.command("x", "EXPUNGE"));

            List<String> re = a.command("r", "SELECT Resync (QRESYNC (" + validity + " " + highest + " 1:5))");
            ok(re);
            assertTrue(re.contains("* VANISHED (EARLIER) 3:4"), re.toString());
            assertTrue(re.stream().anyMatch(l -> l.matches("\\* 2 FETCH \\(UID 2 FLAGS \\(\\\\Answered\\) MODSEQ \\(\\d+\\)\\)")),
                    re.toString());
            assertTrue(re.stream().noneMatch(l -> l.startsWith("* 1 FETCH")), re.toString());

            List<String> wrongValidity = a.command("r2", "SELECT Resync (QRESYNC (" + (validity + 7) + " " + highest + "))");
            assertTrue(wrongValidity.stream().noneMatch(l -> l.startsWith("* VANISHED")), wrongValidity.toString());

            List<String> uf = a.command("uf", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + highest + " VANISHED)");
            assertTrue(uf.contains("* VANISHED (EARLIER) 3:4"), uf.toString());
            assertTrue(uf.stream().anyMatch(l -> l.contains("UID 2 ") && l.contains("\\Answered")), uf.toString());
            assertTrue(Wire.last(a.command("nv", "FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)")).startsWith("nv BAD"));

            // Expunges seen by a QRESYNC session are VANISHED, never EXPUNGE.
            ok(b.command("d2", "UID STORE 5 +FLAGS (\\Deleted)"));
            ok(b.command("x2", "EXPUNGE"));
            List<String> noop = a.command("n", "NOOP");
            assertTrue(noop.contains("* VANISHED 5"), noop.toString());
            assertTrue(noop.stream().noneMatch(l -> l.endsWith("EXPUNGE")), noop.toString());
            ok(a.command("d3", "UID STORE 1 +FLAGS (\\Deleted)"));
            List<String> own = a.command("x3", "EXPUNGE");
            assertTrue(own.contains("* VANISHED 1"), own.toString());
        }
    }

    @Test
    void esearchAndSearchres() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Es"));
            for (int i = 0; i < 6; i++) {
                append(c, "Es", i % 2 == 0 ? "\\Flagged" : "", "Subject: e" + i + "\r\n\r\nbody\r\n");
            }
            ok(c.command("s", "SELECT Es"));
            List<String> r = c.command("a1", "SEARCH RETURN (MIN MAX COUNT ALL) FLAGGED");
            assertEquals("* ESEARCH (TAG \"a1\") MIN 1 MAX 5 COUNT 3 ALL 1,3,5", r.get(0));
            List<String> u = c.command("a2", "UID SEARCH RETURN () 2:4");
            assertEquals("* ESEARCH (TAG \"a2\") UID ALL 2:4", u.get(0));
            List<String> none = c.command("a3", "SEARCH RETURN (COUNT MIN) KEYWORD nothing");
            assertEquals("* ESEARCH (TAG \"a3\") COUNT 0", none.get(0));

            List<String> save = c.command("a4", "SEARCH RETURN (SAVE) FLAGGED");
            assertEquals(List.of("a4 OK Search completed."), save);
            List<String> f = c.command("a5", "FETCH $ (UID)");
            assertEquals(List.of("* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)", "* 5 FETCH (UID 5)"), f.subList(0, 3));
            assertEquals("* SEARCH 3 5", c.command("a6", "UID SEARCH $ 2:6").get(0));
            ok(c.command("a7", "STORE $ +FLAGS.SILENT (\\Seen)"));
            assertEquals("* SEARCH 1 3 5", c.command("a8", "SEARCH SEEN").get(0));
            List<String> minMax = c.command("a9", "SEARCH RETURN (SAVE MIN MAX) FLAGGED");
            assertEquals("* ESEARCH (TAG \"a9\") MIN 1 MAX 5", minMax.get(0));
            assertEquals("* SEARCH 1 5", c.command("b1", "UID SEARCH UID $").get(0));
            assertTrue(Wire.last(c.command("b2", "SEARCH RETURN (SAVE) BOGUS")).startsWith("b2 BAD"));
            assertEquals(List.of("b3 OK Fetch completed."), c.command("b3", "FETCH $ (UID)"));
        }
    }

    private static String msg(String from, String to, String cc, String date, String subject, String id, String refs,
                              String body) {
        return "From: " + from + "\r\nTo: " + to + "\r\n" + (cc == null ? "" : "Cc: " + cc + "\r\n") + "Date: " + date
                + "\r\nSubject: " + subject + "\r\nMessage-ID: " + id + "\r\n"
                + (refs == null ? "" : "References: " + refs + "\r\nIn-Reply-To: " + refs.substring(refs.lastIndexOf('<'))
                + "\r\n") + "\r\n" + body + "\r\n";
    }

    @Test
    void sortAndThread() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Sorted"));
            append(c, "Sorted", "", msg("Zed <zed@x.example>", "bob@x.example", "carl@x.example",
                    "Mon, 3 Jun 2024 10:00:00 +0000", "Plans", "<a@x>", null, "first message, longest body of all here"));
            append(c, "Sorted", "", msg("adam@x.example", "zoe@x.example", null,
                    "Sat, 1 Jun 2024 10:00:00 +0000", "Re: [list] Plans", "<b@x>", "<a@x>", "reply"));
            append(c, "Sorted", "", msg("Mia <mia@x.example>", "amy@x.example", "abe@x.example",
                    "Sun, 2 Jun 2024 10:00:00 +0200", "=?UTF-8?Q?Fwd:_=C3=84pfel?=", "<c@x>", null, "x"));
            append(c, "Sorted", "", msg("bea@x.example", "kim@x.example", null,
                    "Tue, 4 Jun 2024 10:00:00 +0000", "Re: Re: Plans (fwd)", "<d@x>", "<a@x> <b@x>", "yy"));
            append(c, "Sorted", "", msg("cy@x.example", "lu@x.example", null,
                    "not a date", "=?UTF-8?Q?=C3=84pfel?=", "<e@x>", null, "zzz"));
            ok(c.command("s", "SELECT Sorted"));

            assertEquals("* SORT 1 2 4 3 5", c.command("a", "SORT (SUBJECT) UTF-8 ALL").get(0));
            assertEquals("* SORT 2 3 1 4 5", c.command("b", "SORT (DATE) UTF-8 ALL").get(0));
            assertEquals("* SORT 5 4 1 3 2", c.command("c2", "SORT (REVERSE DATE) UTF-8 ALL").get(0));
            assertEquals("* SORT 1 2 3 4 5", c.command("d", "SORT (ARRIVAL) UTF-8 ALL").get(0));
            assertEquals("* SORT 2 4 5 3 1", c.command("e", "SORT (FROM) UTF-8 ALL").get(0));
            assertEquals("* SORT 3 1 4 5 2", c.command("f", "SORT (TO) UTF-8 ALL").get(0));
            assertEquals("* SORT 2 4 5 3 1", c.command("g", "SORT (CC) UTF-8 ALL").get(0));
            List<String> sizes = c.command("h0", "FETCH 1:* RFC822.SIZE");
            List<Integer> bySize = new java.util.ArrayList<>(List.of(1, 2, 3, 4, 5));
            bySize.sort(java.util.Comparator.comparingLong(
                    (Integer n) -> -number(sizes.subList(n - 1, n), "RFC822.SIZE (\\d+)")).thenComparing(n -> n));
            StringBuilder want = new StringBuilder("* SORT");
            bySize.forEach(n -> want.append(' ').append(n));
            assertEquals(want.toString(), c.command("h", "SORT (REVERSE SIZE) UTF-8 ALL").get(0));
            assertEquals("* SORT 5 4", c.command("i", "UID SORT (REVERSE ARRIVAL) UTF-8 UID 4:5").get(0));
            assertTrue(Wire.last(c.command("j", "SORT (NAME) UTF-8 ALL")).startsWith("j BAD"));
            assertTrue(Wire.last(c.command("k", "SORT (DATE) KOI8-R ALL")).startsWith("k NO [BADCHARSET"));

            assertEquals("* THREAD (2 (1)(4))(3 5)", c.command("t1", "THREAD ORDEREDSUBJECT UTF-8 ALL").get(0));
            assertEquals("* THREAD (1 2 4)(5 3)", c.command("t2", "THREAD REFERENCES UTF-8 ALL").get(0));
            assertEquals("* THREAD (1 4)", c.command("t3", "UID THREAD REFERENCES UTF-8 UID 1,4").get(0));
        }
    }

    @Test
    void listExtendedListStatusSpecialUseAndStatusSize() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Keep (USE (\\Archive))"));
            List<String> l = c.command("l", "LIST \"\" Keep");
            assertEquals("* LIST (\\HasNoChildren \\Archive) \"/\" \"Keep\"", l.get(0));
            assertTrue(Wire.last(c.command("c2", "CREATE Virt (USE (\\All))")).startsWith("c2 NO [USEATTR]"));
            assertTrue(Wire.last(c.command("c3", "CREATE Two (USE (\\Sent \\Junk))")).startsWith("c3 NO [USEATTR]"));

            List<String> su = c.command("l2", "LIST (SPECIAL-USE) \"\" \"*\"");
            assertTrue(su.contains("* LIST (\\Archive) \"/\" \"Keep\""), su.toString());
            assertTrue(su.contains("* LIST (\\Trash \\Subscribed) \"/\" \"Trash\"") || su.contains("* LIST (\\Trash) \"/\" \"Trash\""),
                    su.toString());
            assertTrue(su.stream().noneMatch(x -> x.contains("\"INBOX\"")), su.toString());

            ok(c.command("c4", "CREATE Outer/Inner"));
            ok(c.command("sub", "SUBSCRIBE Outer/Inner"));
            List<String> rec = c.command("l3", "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\"");
            assertTrue(rec.contains("* LIST () \"/\" \"Outer\" (\"CHILDINFO\" (\"SUBSCRIBED\"))"), rec.toString());
            assertTrue(rec.contains("* LIST (\\Subscribed) \"/\" \"INBOX\""), rec.toString());
            assertTrue(rec.stream().noneMatch(x -> x.contains("\"Keep\"")), rec.toString());
            List<String> sub = c.command("l4", "LIST (SUBSCRIBED) \"\" \"*\" RETURN (CHILDREN)");
            assertTrue(sub.contains("* LIST (\\HasNoChildren \\Subscribed) \"/\" \"Outer/Inner\""), sub.toString());
            assertTrue(Wire.last(c.command("l5", "LIST (RECURSIVEMATCH) \"\" \"*\"")).startsWith("l5 BAD"));

            append(c, "Keep", "", "Subject: sized\r\n\r\n12345\r\n");
            List<String> ls = c.command("l6", "LIST \"\" (\"Keep\" \"Outer\") RETURN (STATUS (MESSAGES SIZE UIDNEXT))");
            assertEquals(List.of("* LIST (\\Archive) \"/\" \"Keep\"", "* STATUS \"Keep\" (MESSAGES 1 SIZE 25 UIDNEXT 2)",
                    "* LIST () \"/\" \"Outer\"", "* STATUS \"Outer\" (MESSAGES 0 SIZE 0 UIDNEXT 1)"), ls.subList(0, 4));
            assertEquals("* STATUS \"Keep\" (SIZE 25)", c.command("st", "STATUS Keep (SIZE)").get(0));
        }
    }

    @Test
    void binaryFetchDecodesPartsAndAppendTakesLiteral8() throws Exception {
        String b64 = java.util.Base64.getMimeEncoder().encodeToString("bin\u0000ary\u0000data".getBytes(StandardCharsets.ISO_8859_1));
        String message = "Subject: bin\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
                + "--XX\r\nContent-Type: text/plain\r\n\r\nplain part\r\n"
                + "--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n"
                + "--XX\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "caf=C3=A9 soft=\r\nbreak\r\n"
                + "--XX\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin\r\n"
                + "--XX--\r\n";
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Bin"));
            append(c, "Bin", "", message);
            ok(c.command("s", "SELECT Bin"));
            List<String> f = c.command("f", "FETCH 1 (BINARY.SIZE[2] BINARY.PEEK[2] BINARY.PEEK[3]<2.6> BINARY.SIZE[3])");
            String r = f.get(0);
            assertTrue(r.contains("BINARY.SIZE[2] 12"), r);
            assertTrue(r.contains("BINARY[2] ~{12}\r\nbin\u0000ary\u0000data"), r);
            assertTrue(r.contains("BINARY[3]<2> ~{6}\r\nfé so"), r);
            assertTrue(r.contains("BINARY.SIZE[3] 15"), r);
            assertFalse(c.command("g", "FETCH 1 FLAGS").get(0).contains("\\Seen"));
            assertTrue(Wire.last(c.command("u", "FETCH 1 BINARY.PEEK[4]")).startsWith("u NO [UNKNOWN-CTE]"));
            assertTrue(c.command("w", "FETCH 1 BINARY[1]").get(0).contains("BINARY[1] ~{10}\r\nplain part"));
            assertTrue(c.command("x", "FETCH 1 FLAGS").get(0).contains("\\Seen"));

            byte[] raw = "Subject: nul\r\n\r\na\u0000b\r\n".getBytes(StandardCharsets.ISO_8859_1);
            ok(c.command("a8", "APPEND Bin ~{" + raw.length + "+}\r\n" + new String(raw, StandardCharsets.ISO_8859_1)));
            List<String> back = c.command("b", "UID FETCH 2 BINARY.PEEK[]");
            assertTrue(back.get(0).contains("~{" + raw.length + "}\r\nSubject: nul\r\n\r\na\u0000b"), back.toString());
        }
    }

    @Test
    void multiappendIsAtomic() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Multi"));
            List<String> r = c.command("m", "APPEND Multi (\\Seen) {12+}\r\nSubject: 1\r\n {12+}\r\nSubject: 2\r\n"
                    + " (\\Flagged) \"01-Feb-2024 10:00:00 +0000\" {12+}\r\nSubject: 3\r\n");
            assertTrue(Wire.last(r).matches("m OK \\[APPENDUID \\d+ 1:3\\] Append completed\\."), r.toString());
            ok(c.command("s", "EXAMINE Multi"));
            List<String> f = c.command("f", "FETCH 1:* (FLAGS INTERNALDATE)");
            assertTrue(f.get(0).contains("\\Seen") && f.get(2).contains("\\Flagged")
                    && f.get(2).contains("Feb-2024"), f.toString());

            // The third message is over APPENDLIMIT: none of the three is stored.
            c.write("m2 APPEND Multi {12+}\r\nSubject: 4\r\n {12+}\r\nSubject: 5\r\n {2000000+}\r\n");
            c.write(new byte[2_000_000]);
            c.write("\r\n");
            assertTrue(Wire.last(c.untilTagged("m2")).startsWith("m2 NO [TOOBIG]"));
            assertTrue(Wire.last(c.command("m3", "APPEND Nowhere {12+}\r\nSubject: 6\r\n {12+}\r\nSubject: 7\r\n"))
                    .startsWith("m3 NO [TRYCREATE]"));
            assertEquals("* STATUS \"Multi\" (MESSAGES 3 UIDNEXT 4)",
                    c.command("st", "STATUS Multi (MESSAGES UIDNEXT)").get(0));
        }
    }

    @Test
    void compressDeflateCarriesTheRestOfTheSession() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Zip"));
            append(c, "Zip", "", "Subject: zipped\r\n\r\n" + "compressible line\r\n".repeat(2000));
            List<String> z = c.command("z", "COMPRESS DEFLATE");
            assertEquals(List.of("z OK DEFLATE active."), z);
            c.startCompression();
            assertTrue(c.command("cap", "CAPABILITY").get(0).contains(" BINARY"));
            assertFalse(c.command("cap2", "CAPABILITY").get(0).contains("COMPRESS=DEFLATE"));
            ok(c.command("s", "SELECT Zip"));
            List<String> f = c.command("f", "FETCH 1 BODY.PEEK[TEXT]");
            assertTrue(f.get(0).endsWith("compressible line\r\n)") && f.get(0).contains("{38000}"), f.get(0).substring(0, 80));
            assertTrue(Wire.last(c.command("z2", "COMPRESS DEFLATE")).startsWith("z2 NO [COMPRESSIONACTIVE]"));
            List<String> both = new java.util.ArrayList<>(c.command("ap2", "APPEND Zip {20+}\r\nSubject: second\r\n\r\nx"));
            both.addAll(c.command("n", "NOOP"));
            assertTrue(both.contains("* 2 EXISTS"), both.toString());
        }
    }

    @Test
    void utf8AcceptCarriesMailboxNamesAsUtf8AfterEnable() throws Exception {
        try (Wire c = login(utf8Imap); Wire legacy = login(utf8Imap)) {
            assertTrue(c.command("c", "CAPABILITY").get(0).contains(" UTF8=ACCEPT"));
            // Before ENABLE: modified UTF-7 only, and what is wrong is named.
            assertEquals("b1 BAD Error in IMAP command CREATE: mailbox name has a non-ASCII character: use modified"
                    + " UTF-7 (or send ENABLE UTF8=ACCEPT first)", Wire.last(c.command("b1", "CREATE \"Über\"")));
            assertEquals("b2 BAD Error in IMAP command CREATE: unterminated modified UTF-7 sequence in mailbox name",
                    Wire.last(c.command("b2", "CREATE \"&Jjo\"")));
            assertEquals("b3 BAD Error in IMAP command CREATE: modified UTF-7 encodes a printable ASCII character: &AGE-",
                    Wire.last(c.command("b3", "CREATE &AGE-")));
            assertEquals("b4 BAD Error in IMAP command APPEND: APPEND UTF8 needs ENABLE UTF8=ACCEPT first",
                    Wire.last(c.command("b4", "APPEND INBOX UTF8 (~{4+}\r\nx: y)")));
            ok(c.command("u0", "CREATE \"&ANw-ber/Caf&AOk-\""));

            assertEquals(List.of("* ENABLED UTF8=ACCEPT", "e OK Enabled."), c.command("e", "ENABLE UTF8=ACCEPT"));
            List<String> list = c.command("l", "LIST \"\" \"Über*\"");
            assertTrue(list.contains("* LIST (\\HasChildren) \"/\" \"Über\""), list.toString());
            assertTrue(list.contains("* LIST (\\HasNoChildren) \"/\" \"Über/Café\""), list.toString());
            assertEquals("* STATUS \"Über/Café\" (MESSAGES 0)", c.command("st", "STATUS \"Über/Café\" (MESSAGES)").get(0));
            ok(c.command("u1", "CREATE \"日本語\""));
            ok(c.command("u2", "RENAME \"日本語\" \"中文/R&D\""));
            ok(c.command("u3", "SUBSCRIBE \"中文/R&D\""));
            List<String> lsub = c.command("ls", "LSUB \"\" \"中文/*\"");
            assertTrue(lsub.contains("* LSUB () \"/\" \"中文/R&D\""), lsub.toString());
            // The session that did not enable UTF-8 sees the same folders in modified UTF-7.
            List<String> old = legacy.command("l", "LIST \"\" \"*\"");
            assertTrue(old.contains("* LIST (\\HasNoChildren \\Subscribed) \"/\" \"&Ti1lhw-/R&-D\""), old.toString());
            assertTrue(old.contains("* LIST (\\HasNoChildren) \"/\" \"&ANw-ber/Caf&AOk-\""), old.toString());
            assertTrue(Wire.last(legacy.command("n", "SELECT \"中文/R&D\"")).startsWith("n BAD"));

            // APPEND UTF8 (literal8) of a message with raw UTF-8 headers; the bytes come back as they are.
            String msg = "From: José <josé@exämple.org>\r\nSubject: Grüße 日本\r\n\r\nHallo\r\n";
            byte[] bytes = msg.getBytes(StandardCharsets.UTF_8);
            List<String> ap = c.command("ap", "APPEND \"中文/R&D\" UTF8 (~{" + bytes.length + "+}\r\n" + msg + ")");
            assertTrue(Wire.last(ap).startsWith("ap OK [APPENDUID "), ap.toString());
            ok(c.command("s", "SELECT \"中文/R&D\""));
            String header = c.command("f", "FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]").get(0);
            assertTrue(header.contains("Subject: Grüße 日本"), header);
            String envelope = c.command("f2", "FETCH 1 ENVELOPE").get(0);
            assertTrue(envelope.contains("Grüße 日本") && envelope.contains("josé"), envelope);
            assertEquals("* SEARCH 1", c.command("q", "SEARCH SUBJECT \"Grüße\"").get(0));

            // RFC 6855 §3 and erratum 4029: no CHARSET on SEARCH, only UTF-8 on SORT and THREAD.
            assertEquals("q2 BAD Error in IMAP command SEARCH: SEARCH CHARSET is not allowed after ENABLE UTF8=ACCEPT",
                    Wire.last(c.command("q2", "SEARCH CHARSET UTF-8 ALL")));
            assertTrue(Wire.last(c.command("q3", "SORT (SUBJECT) US-ASCII ALL")).startsWith("q3 BAD"));
            assertEquals("* SORT 1", c.command("q4", "SORT (SUBJECT) UTF-8 ALL").get(0));
            assertEquals("e2 BAD Error in IMAP command ENABLE: ENABLE UTF8=ACCEPT is only valid before a mailbox is"
                    + " selected", Wire.last(c.command("e2", "ENABLE UTF8=ACCEPT")));

            // Names that are not valid UTF-8, or carry control characters, get BAD naming the problem.
            assertEquals("x1 BAD Error in IMAP command CREATE: mailbox name contains the control character U+0009"
                    + " (not allowed by RFC 6855)", Wire.last(c.command("x1", "CREATE \"a\tb\"")));
            c.write(concat("x2 CREATE \"bad", new byte[] {(byte) 0xff, (byte) 0xfe}, "\"\r\n"));
            assertEquals("x2 BAD Error in IMAP command CREATE: mailbox name is not valid UTF-8",
                    Wire.last(c.untilTagged("x2")));
            c.write(concat("x3 CREATE \"nel", new byte[] {(byte) 0xc2, (byte) 0x85}, "\"\r\n"));
            assertEquals("x3 BAD Error in IMAP command CREATE: mailbox name contains the control character U+0085"
                    + " (not allowed by RFC 6855)", Wire.last(c.untilTagged("x3")));
            assertEquals("x4 NO [NONEXISTENT] Mailbox doesn't exist.", Wire.last(c.command("x4", "SELECT \"Nö\"")));
            assertEquals("x5 NO [NONEXISTENT] Mailbox doesn't exist.",
                    Wire.last(legacy.command("x5", "SELECT N&APY-")));
        }
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
