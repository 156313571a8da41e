package io.mailfleet.server.imap;

import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IMAP state and protocol bugs of issue 13, each on raw sockets against a real node: keyword
 * announcements, nothing after BYE, EXISTS before the APPEND reply, SEARCH dates and addresses, SORT
 * on a group, LSUB parents, ESEARCH MODSEQ, BINARY decoding and NUL octets, EXAMINE's RECENT, MOVE
 * into the selected mailbox and error texts.
 */
class ImapStateBugsTest {

    @TempDir
    static Path data;
    static ImapTestNode node;
    static ImapServer imap;

    @BeforeAll
    static void start() throws Exception {
        node = ImapTestNode.start(data);
        imap = node.listen(ImapTestNode.settings().withAppendLimit(1_000_000));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Wire login() throws Exception {
        return ImapExtensionsTest.login(imap);
    }

    static void ok(List<String> reply) {
        ImapExtensionsTest.ok(reply);
    }

    static void append(Wire c, String folder, String message) throws Exception {
        ImapExtensionsTest.append(c, folder, "", message);
    }

    /** Gives another session's change notification time to reach the session under test. */
    static void settle() throws InterruptedException {
        Thread.sleep(700);
    }

    static int index(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aKeywordStoredInThisSessionIsAnnouncedBeforeAFetchShowsIt() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Kw1"));
            append(c, "Kw1", "Subject: k\r\n\r\nbody\r\n");
            List<String> sel = c.command("s", "SELECT Kw1");
            assertFalse(ImapExtensionsTest.line(sel, "* FLAGS").contains("$Label1"), sel.toString());
            List<String> st = c.command("st", "STORE 1 +FLAGS ($Label1)");
            ok(st);
            int flags = index(st, "* FLAGS (");
            int perm = index(st, "* OK [PERMANENTFLAGS (");
            int fetch = index(st, "* 1 FETCH");
            assertTrue(flags >= 0 && st.get(flags).contains("$Label1"), st.toString());
            assertTrue(perm >= 0 && st.get(perm).contains("$Label1") && st.get(perm).contains("\\*"), st.toString());
            assertTrue(fetch > flags && fetch > perm && st.get(fetch).contains("$Label1"), st.toString());
            // announced once: the next use does not repeat it
            List<String> again = c.command("st2", "STORE 1 +FLAGS (\\Seen)");
            assertEquals(-1, index(again, "* FLAGS"), again.toString());
        }
    }

    @Test
    void aKeywordSetByAnotherSessionIsAnnouncedBeforeItsFetch() throws Exception {
        try (Wire a = login(); Wire b = login()) {
            ok(a.command("c", "CREATE Kw2"));
            append(a, "Kw2", "Subject: k\r\n\r\nbody\r\n");
            ok(a.command("s", "SELECT Kw2"));
            ok(b.command("s", "SELECT Kw2"));
            ok(b.command("st", "STORE 1 +FLAGS.SILENT ($Label2)"));
            settle();
            List<String> noop = a.command("n", "NOOP");
            int flags = index(noop, "* FLAGS (");
            int fetch = index(noop, "* 1 FETCH");
            assertTrue(fetch >= 0 && noop.get(fetch).contains("$Label2"), noop.toString());
            assertTrue(flags >= 0 && flags < fetch && noop.get(flags).contains("$Label2"), noop.toString());
            assertTrue(index(noop, "* OK [PERMANENTFLAGS") >= 0, noop.toString());
        }
    }

    @Test
    void nothingUntaggedFollowsByeWhenLoggingOutWithPendingChanges() throws Exception {
        try (Wire a = login(); Wire b = login()) {
            ok(a.command("c", "CREATE Bye"));
            append(a, "Bye", "Subject: 1\r\n\r\nbody\r\n");
            append(a, "Bye", "Subject: 2\r\n\r\nbody\r\n");
            ok(a.command("s", "SELECT Bye"));
            ok(b.command("s", "SELECT Bye"));
            ok(b.command("st", "STORE 1:2 +FLAGS (\\Flagged)"));
            ok(b.command("d", "STORE 1 +FLAGS (\\Deleted)"));
            ok(b.command("e", "EXPUNGE"));
            settle();
            List<String> out = a.command("lo", "LOGOUT");
            int bye = index(out, "* BYE");
            assertTrue(bye >= 0, out.toString());
            assertEquals(List.of("lo OK Logout completed."), out.subList(bye + 1, out.size()), out.toString());
        }
    }

    @Test
    void appendToTheSelectedMailboxSendsExistsBeforeItsTaggedOk() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Ap"));
            ok(c.command("s", "SELECT Ap"));
            byte[] msg = "Subject: a\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
            List<String> ap = c.command("ap", "APPEND Ap {" + msg.length + "+}\r\nSubject: a\r\n\r\nbody\r\n");
            assertTrue(Wire.last(ap).startsWith("ap OK [APPENDUID"), ap.toString());
            assertTrue(ap.contains("* 1 EXISTS"), ap.toString());
            List<String> f = c.command("f", "FETCH 1 (FLAGS)");
            ok(f);
            assertTrue(f.get(0).startsWith("* 1 FETCH"), f.toString());
        }
    }

    @Test
    void anotherSessionsAppendIsNeverAnnouncedAndThenRefused() throws Exception {
        try (Wire a = login(); Wire b = login()) {
            ok(a.command("c", "CREATE Ap2"));
            ok(a.command("s", "SELECT Ap2"));
            append(b, "Ap2", "Subject: b\r\n\r\nbody\r\n");
            settle();
            // the client may send FETCH 1 as soon as it could know of message 1
            List<String> f = a.command("f", "FETCH 1 (UID)");
            int exists = index(f, "* 1 EXISTS");
            assertTrue(exists >= 0, f.toString());
            assertTrue(Wire.last(f).startsWith("f OK"), f.toString());
            assertTrue(index(f, "* 1 FETCH") > exists, f.toString());
        }
    }

    @Test
    void searchDatesAreCaseInsensitiveAndSentDatesUseTheHeadersOwnDate() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Dates"));
            // 23:30 at -1000 is the 2nd of January in UTC, but the header's own date is the 1st
            append(c, "Dates", "Date: Tue, 1 Jan 2030 23:30:00 -1000\r\nSubject: d\r\n\r\nbody\r\n");
            ok(c.command("s", "SELECT Dates"));
            assertEquals("* SEARCH 1", c.command("a", "SEARCH SENTON 1-jan-2030").get(0));
            assertEquals("* SEARCH 1", c.command("b", "SEARCH SENTON 1-JAN-2030").get(0));
            assertEquals("* SEARCH", c.command("d", "SEARCH SENTON 2-Jan-2030").get(0));
            assertEquals("* SEARCH 1", c.command("e", "SEARCH SENTBEFORE 2-Jan-2030").get(0));
            assertEquals("* SEARCH", c.command("f", "SEARCH SENTSINCE 2-jan-2030").get(0));
            List<String> since = c.command("g", "SEARCH SINCE 24-mar-2007");
            assertEquals("* SEARCH 1", since.get(0), since.toString());
        }
    }

    @Test
    void addressSearchesMatchWhatEnvelopeParsesAndSortCcUsesTheGroup() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Addr"));
            append(c, "Addr", "From: john(at work)@example.com\r\nCc: bob@example.com\r\nSubject: 1\r\n\r\nx\r\n");
            append(c, "Addr", "From: \"Doe, Jane\" <jane @ example.org>\r\nCc: a-team: zed@example.com;\r\n"
                    + "Subject: 2\r\n\r\nx\r\n");
            ok(c.command("s", "SELECT Addr"));
            assertEquals("* SEARCH 1", c.command("a", "SEARCH FROM john@example.com").get(0));
            assertEquals("* SEARCH 2", c.command("b", "SEARCH FROM jane@example.org").get(0));
            assertEquals("* SEARCH 2", c.command("d", "SEARCH FROM \"Doe, Jane\"").get(0));
            // RFC 5256: the addr-mailbox of the first Cc address is the group name "a-team" (< "bob")
            assertEquals("* SORT 2 1", c.command("e", "SORT (CC) UTF-8 ALL").get(0));
        }
    }

    @Test
    void lsubListsTheUnsubscribedParentOfASubscribedChildAsNoselect() throws Exception {
        try (Wire c = login()) {
            List<String> list = c.command("l", "LIST \"\" INBOX");
            String d = list.get(0).replaceAll(".*\\) \"(.)\" .*", "$1");
            ok(c.command("c", "CREATE Par" + d + "Child"));
            ok(c.command("u", "UNSUBSCRIBE Par"));
            ok(c.command("sub", "SUBSCRIBE Par" + d + "Child"));
            List<String> lsub = c.command("ls", "LSUB \"\" %");
            assertTrue(lsub.contains("* LSUB (\\Noselect) \"" + d + "\" \"Par\""), lsub.toString());
            assertFalse(lsub.stream().anyMatch(l -> l.contains("Child")), lsub.toString());
            List<String> all = c.command("ls2", "LSUB \"\" *");
            assertTrue(all.contains("* LSUB () \"" + d + "\" \"Par" + d + "Child\""), all.toString());
            assertFalse(all.stream().anyMatch(l -> l.endsWith(" \"Par\"")), all.toString());
        }
    }

    @Test
    void deleteLeavesTheSubscriptionAlone() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Gone"));
            ok(c.command("s", "SUBSCRIBE Gone"));
            ok(c.command("d", "DELETE Gone"));
            // RFC 3501 §6.3.6: the name stays subscribed; LSUB shows it, LIST does not
            List<String> lsub = c.command("ls", "LSUB \"\" Gone");
            assertTrue(lsub.contains("* LSUB (\\Noselect) \"/\" \"Gone\""), lsub.toString());
            assertEquals(1, c.command("l", "LIST \"\" Gone").size());
            List<String> ext = c.command("le", "LIST (SUBSCRIBED) \"\" Gone");
            assertTrue(ext.get(0).startsWith("* LIST (\\NonExistent") && ext.get(0).contains("\\Subscribed"),
                    ext.toString());
            assertTrue(Wire.last(c.command("st", "STATUS Gone (MESSAGES)")).startsWith("st NO [NONEXISTENT]"));
            // created again, the folder is subscribed again
            ok(c.command("c2", "CREATE Gone"));
            assertTrue(c.command("ls2", "LSUB \"\" Gone").contains("* LSUB () \"/\" \"Gone\""));
            ok(c.command("d2", "DELETE Gone"));
            ok(c.command("u", "UNSUBSCRIBE Gone"));
            assertEquals(1, c.command("ls3", "LSUB \"\" Gone").size());
        }
    }

    @Test
    void esearchModseqIsTheHighestOfTheMatchedMessagesAfterAnotherSessionsStore() throws Exception {
        try (Wire a = login(); Wire b = login()) {
            ok(a.command("c", "CREATE Es"));
            for (int i = 0; i < 3; i++) {
                append(a, "Es", "Subject: e" + i + "\r\n\r\nbody\r\n");
            }
            ok(a.command("s", "SELECT Es (CONDSTORE)"));
            ok(b.command("s", "SELECT Es (CONDSTORE)"));
            List<String> st = b.command("st", "STORE 2 +FLAGS (\\Flagged)");
            long stored = ImapExtensionsTest.number(st, "MODSEQ \\((\\d+)\\)");
            settle();
            List<String> es = a.command("es", "SEARCH RETURN (COUNT) MODSEQ 1");
            ok(es);
            assertEquals(stored, ImapExtensionsTest.number(es, "ESEARCH .* MODSEQ (\\d+)"), es.toString());
            // MIN or MAX alone: the mod-sequence of the message returned (RFC 4731 §3.2)
            List<String> f = a.command("f", "FETCH 1,3 (MODSEQ)");
            long first = ImapExtensionsTest.number(f.subList(0, 1), "MODSEQ \\((\\d+)\\)");
            long third = ImapExtensionsTest.number(f.subList(1, 2), "MODSEQ \\((\\d+)\\)");
            assertTrue(first < stored && third < stored, f.toString());
            assertEquals("* ESEARCH (TAG \"mn\") MIN 1 MODSEQ " + first,
                    a.command("mn", "SEARCH RETURN (MIN) MODSEQ 1").get(0));
            assertEquals("* ESEARCH (TAG \"mx\") MAX 3 MODSEQ " + third,
                    a.command("mx", "SEARCH RETURN (MAX) MODSEQ 1").get(0));
            assertEquals("* ESEARCH (TAG \"mm\") MIN 1 MAX 3 MODSEQ " + third,
                    a.command("mm", "SEARCH RETURN (MIN MAX) MODSEQ 1").get(0));
        }
    }

    @Test
    void binaryDecodesSoftLineBreaksWithTrailingWhiteSpace() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Qp"));
            append(c, "Qp", "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n"
                    + "Content-Transfer-Encoding: quoted-printable\r\n\r\nfoo= \t\r\nbar=3D \r\nend\r\n");
            ok(c.command("s", "SELECT Qp"));
            List<String> f = c.command("f", "FETCH 1 (BINARY.PEEK[1])");
            ok(f);
            assertEquals("* 1 FETCH (BINARY[1] ~{14}\r\nfoobar=\r\nend\r\n)", f.get(0));
        }
    }

    @Test
    void bodyOfBinaryContentIsNeverAPlainLiteralWithNul() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Nul"));
            ByteArrayOutputStream msg = new ByteArrayOutputStream();
            msg.writeBytes(("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                    + "Content-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Transfer-Encoding: binary\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            msg.writeBytes(new byte[] {1, 0, 2, 0, 3});
            msg.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] m = msg.toByteArray();
            c.write("ap APPEND Nul ~{" + m.length + "+}\r\n");
            c.write(m);
            c.write("\r\n");
            ok(c.untilTagged("ap"));
            ok(c.command("s", "SELECT Nul"));
            List<String> body = c.command("f1", "FETCH 1 (BODY.PEEK[2])");
            assertTrue(Wire.last(body).startsWith("f1 NO [UNKNOWN-CTE]"), body.toString());
            assertFalse(String.join("", body).contains("\0"), body.toString());
            List<String> whole = c.command("f2", "FETCH 1 (BODY.PEEK[])");
            assertTrue(Wire.last(whole).startsWith("f2 NO [UNKNOWN-CTE]"), whole.toString());
            List<String> text = c.command("f3", "FETCH 1 (BODY.PEEK[1])");
            ok(text);
            assertTrue(text.get(0).contains("{5}\r\nhello"), text.toString());
            List<String> bin = c.command("f4", "FETCH 1 (BINARY.PEEK[2])");
            ok(bin);
            assertTrue(bin.get(0).startsWith("* 1 FETCH (BINARY[2] ~{5}"), bin.toString());
        }
    }

    @Test
    void examineReportsTheSameRecentAsStatusAndKeepsIt() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Rec"));
            append(c, "Rec", "Subject: r1\r\n\r\nbody\r\n");
            append(c, "Rec", "Subject: r2\r\n\r\nbody\r\n");
            List<String> status = c.command("st", "STATUS Rec (RECENT)");
            assertEquals("* STATUS \"Rec\" (RECENT 2)", status.get(0));
            List<String> ex = c.command("ex", "EXAMINE Rec");
            assertTrue(ex.contains("* 2 RECENT"), ex.toString());
            ok(c.command("un", "UNSELECT"));
            assertEquals("* STATUS \"Rec\" (RECENT 2)", c.command("st2", "STATUS Rec (RECENT)").get(0));
        }
    }

    @Test
    void moveIntoTheSelectedMailboxGivesNewUidsAndExpungesTheOldOnes() throws Exception {
        try (Wire c = login()) {
            ok(c.command("c", "CREATE Mv"));
            append(c, "Mv", "Subject: m\r\n\r\nbody\r\n");
            ok(c.command("s", "SELECT Mv"));
            List<String> mv = c.command("mv", "UID MOVE 1 Mv");
            assertEquals("mv OK Move completed.", Wire.last(mv), mv.toString());
            assertTrue(mv.contains("* OK [COPYUID " + ImapExtensionsTest.number(
                    c.command("v", "STATUS Mv (UIDVALIDITY)"), "UIDVALIDITY (\\d+)") + " 1 2] Moved UIDs."),
                    mv.toString());
            int expunge = index(mv, "* 1 EXPUNGE");
            int exists = index(mv, "* 1 EXISTS");
            assertTrue(expunge >= 0 && exists > expunge, mv.toString());
            List<String> f = c.command("f", "FETCH 1:* (UID)");
            assertEquals(List.of("* 1 FETCH (UID 2)", "f OK Fetch completed."), f);
        }
    }

    @Test
    void errorTextsDoNotEchoDecodedMailboxNames() throws Exception {
        try (Wire c = login()) {
            // the reply names no mailbox: neither decoded ("Nopeä") nor re-encoded by the server
            List<String> sel = c.command("x", "SELECT Nope&AOQ-");
            assertEquals("x NO [NONEXISTENT] Mailbox doesn't exist.", Wire.last(sel));
            assertEquals("y NO [NONEXISTENT] Mailbox doesn't exist.",
                    Wire.last(c.command("y", "STATUS Nope&AOQ- (MESSAGES)")));
            assertEquals("z NO [TRYCREATE] Mailbox doesn't exist.",
                    Wire.last(c.command("z", "APPEND Nope&AOQ- {3+}\r\nx\r\n")));
        }
    }
}
