package io.mailfleet.core.sieve;

import static io.mailfleet.core.sieve.SieveTesting.SIMPLE;
import static io.mailfleet.core.sieve.SieveTesting.message;
import static io.mailfleet.core.sieve.SieveTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailfleet.core.sieve.SieveAction.FileInto;
import io.mailfleet.core.sieve.SieveAction.Keep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SieveExtensionsTest {
    private final SieveMessage msg = message("alice@example.org", "bob@example.com", SIMPLE);

    private static FileInto into(String folder) {
        return new FileInto(folder, Set.of(), false, null, false);
    }

    private static List<String> folders(SieveResult r) {
        return r.actions(FileInto.class).stream().map(FileInto::folder).toList();
    }

    @Test
    void variablesRfc5229() {
        SieveMessage list = message("a@b.cd", "bob@example.com", """
                List-ID: Sieve discussion <sieve@ietf.org>
                Subject: [acme-users] [fwd] version 1.0 is out
                To: bob@example.com

                x
                """);
        // RFC 5229 §3.2 examples
        assertEquals(List.of("INBOX.lists.sieve"), folders(run("""
                require ["fileinto", "variables"];
                if header :matches "List-ID" "*<*@*" {
                    fileinto "INBOX.lists.${2}"; stop;
                }
                """, list)));
        assertEquals(List.of("INBOX.lists.acme-users"), folders(run("""
                require ["fileinto", "variables"];
                if header :matches "Subject" "[*] *" {
                    fileinto "INBOX.lists.${1}"; stop;
                }
                """, list)));
        // RFC 5229 §4 modifiers
        String mods = """
                require ["variables", "fileinto"];
                set "a" "juMBlEd lETteRS";
                set :length "b" "${a}";
                set :lower "c" "${a}";
                set :upperfirst "d" "${c}";
                set :upperfirst :lower "e" "${a}";
                set :quotewildcard "f" "Rock*";
                fileinto "${b}|${c}|${d}|${e}|${f}|${unknown}|$"};
                """;
        assertEquals(List.of("15|jumbled letters|Jumbled letters|Jumbled letters|Rock\\*||$\"}"),
                folders(run(mods.replace("|$\"};", "|$\\\"}\";"), msg)));
        // string test and numeric variables
        assertEquals(List.of("yes"), folders(run("""
                require ["variables", "fileinto", "relational", "comparator-i;ascii-numeric"];
                set "n" "42";
                if string :value "gt" :comparator "i;ascii-numeric" "${n}" "7" { fileinto "yes"; }
                if string :count "eq" :comparator "i;ascii-numeric" ["", "x"] "2" { fileinto "no"; }
                """, msg)));
        // ${0} is the whole match, variable names are case-insensitive
        assertEquals(List.of("Café meeting [urgent]-meeting"), folders(run("""
                require ["variables", "fileinto"];
                if header :matches "Subject" "* * *" { set "Second" "${2}"; fileinto "${0}-${second}"; }
                """, msg)));
    }

    @Test
    void imap4flagsRfc5232() {
        String script = """
                require ["imap4flags", "fileinto"];
                if header :contains "subject" "urgent" {
                    setflag "\\\\Flagged";
                    addflag ["\\\\Seen", "$Work \\\\Flagged"];
                    removeflag "\\\\seen";
                }
                if hasflag :is "\\\\flagged" { fileinto :flags "\\\\Answered" "Urgent"; }
                """;
        SieveResult r = run(script, msg);
        assertEquals(List.of(new FileInto("Urgent", Set.of("\\Answered"), false, null, false)), r.actions());
        SieveResult implicit = run(script.replace("fileinto :flags \"\\\\Answered\" \"Urgent\";", "addflag \"x\";"), msg);
        assertEquals(List.of(new Keep(new LinkedHashSet<>(List.of("\\Flagged", "$Work", "x")))), implicit.actions(),
                "implicit keep carries the internal flags");
        // flags in a variable (RFC 5232 §3 with variables)
        SieveResult v = run("""
                require ["imap4flags", "variables", "fileinto", "relational", "comparator-i;ascii-numeric"];
                addflag "myflags" "a b";
                addflag "myflags" "c";
                if hasflag :count "eq" :comparator "i;ascii-numeric" "myflags" "3" { fileinto "three"; }
                keep :flags "${myflags}";
                """, msg);
        assertEquals(List.of(into("three"), new Keep(Set.of("a", "b", "c"))), v.actions());
    }

    @Test
    void relationalRfc5231() {
        String script = """
                require ["relational", "comparator-i;ascii-numeric", "fileinto"];
                if header :value "lt" :comparator "i;ascii-numeric" ["x-priority"] ["3"] { fileinto "prio"; }
                if address :count "ge" :comparator "i;ascii-numeric" ["to", "cc"] ["3"] { fileinto "many"; }
                if header :count "eq" :comparator "i;ascii-numeric" "X-Spam-Score" "2" { fileinto "two"; }
                if header :value "gt" :comparator "i;ascii-numeric" "X-Spam-Score" "10" { fileinto "spammy"; }
                if header :value "gt" "subject" "BZZ" { fileinto "casemap-gt"; }
                """;
        assertEquals(List.of("many", "two", "spammy", "casemap-gt"), folders(run(script, msg)));
    }

    @Test
    void regexExtension() {
        assertEquals(List.of("meeting"), folders(run("""
                require ["regex", "variables", "fileinto"];
                if header :regex "subject" "^caf. (m[a-z]+) \\\\[" { fileinto "${1}"; }
                """, msg)));
        assertEquals(List.of(), folders(run("""
                require ["regex", "fileinto"];
                if header :regex :comparator "i;octet" "subject" "^CAF" { fileinto "x"; }
                """, msg)));
    }

    @Test
    void bodyRfc5173() {
        SieveMessage mp = message("a@b.cd", "bob@example.com", """
                From: a@b.cd
                Subject: mp
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="XX"

                --XX
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                plain b=C3=A9b=C3=A9
                --XX
                Content-Type: text/html

                <html><b>HTML</b> only</html>
                --XX
                Content-Type: application/octet-stream
                Content-Transfer-Encoding: base64

                c2VjcmV0
                --XX--
                """);
        String script = """
                require ["body", "fileinto"];
                if body :text :contains "bébé" { fileinto "decoded"; }
                if body :raw :contains "b=C3=A9b" { fileinto "raw"; }
                if body :content "text/html" :contains "<b>HTML</b>" { fileinto "html-source"; }
                if body :text :contains "<b>" { fileinto "tags-in-text"; }
                if body :contains "HTML only" { fileinto "text-from-html"; }
                if body :content "application" :contains "secret" { fileinto "binary"; }
                if body :contains "MAKE MONEY" { fileinto "nope"; }
                """;
        assertEquals(List.of("decoded", "raw", "html-source"), folders(run(script, mp)).subList(0, 3));
        assertFalse(folders(run(script, mp)).contains("tags-in-text"));
        assertFalse(folders(run(script, mp)).contains("binary"));
        assertTrue(folders(run(script, msg)).contains("nope"));
    }

    @Test
    void dateAndIndexRfc5260() {
        String script = """
                require ["date", "relational", "fileinto", "index", "variables"];
                if date :zone "+0000" :is "date" "hour" "07" { fileinto "utc-hour"; }
                if date :originalzone :is "date" "zone" "+0100" { fileinto "orig-zone"; }
                if date :is "date" "date" "2024-03-12" { fileinto "date"; }
                if date :is "date" "weekday" "2" { fileinto "tuesday"; }
                if date :zone "-0500" :value "lt" "date" "iso8601" "2024-03-12T03:00:00-05:00" { fileinto "before3"; }
                if currentdate :is "year" "2024" { fileinto "this-year"; }
                if currentdate :zone "+0200" :matches "std11" "Fri, 15 Mar 2024 12:20:30 +0200" { fileinto "std11"; }
                if date :is "received" "day" "12" { fileinto "received"; }
                if header :index 2 :is "X-Spam-Score" "12" { fileinto "second"; }
                if header :index 1 :last :is "X-Spam-Score" "12" { fileinto "last"; }
                if header :index 3 :is "X-Spam-Score" "12" { fileinto "none"; }
                if currentdate :matches "julian" "*" { fileinto "mjd-${1}"; }
                """;
        assertEquals(List.of("utc-hour", "orig-zone", "date", "tuesday", "before3", "this-year", "std11",
                "received", "second", "last", "mjd-60384"), folders(run(script, msg)));
    }

    @Test
    void editheaderRfc5293() {
        SieveResult r = run("""
                require ["editheader", "fileinto"];
                addheader "X-Sieve" "one";
                addheader :last "X-Sieve" "two";
                if header :is "X-Sieve" "two" { fileinto "seen-added"; }
                deleteheader :index 1 :last "X-Spam-Score";
                deleteheader :matches "X-Sieve" "o*";
                deleteheader "Received";
                addheader "X-Caf" "Café";
                """, msg);
        assertEquals(List.of("seen-added"), folders(r));
        List<SieveMessage.Header> h = r.editedHeaders().orElseThrow();
        assertEquals(new SieveMessage.Header("X-Caf", "=?UTF-8?Q?Caf=C3=A9?="), h.get(0));
        assertEquals(1, h.stream().filter(x -> x.name().equals("X-Spam-Score")).count());
        assertEquals("7", h.stream().filter(x -> x.name().equals("X-Spam-Score")).findFirst().orElseThrow().value());
        assertEquals(List.of("two"), h.stream().filter(x -> x.name().equals("X-Sieve")).map(SieveMessage.Header::value)
                .toList());
        assertTrue(h.stream().anyMatch(x -> x.name().equals("Received")), "Received is protected");
        assertEquals(List.of(new SieveAction.DeleteHeader("X-Spam-Score", List.of(2)),
                new SieveAction.DeleteHeader("X-Sieve", List.of(1))), r.actions(SieveAction.DeleteHeader.class));
    }

    @Test
    void mailboxAndSpecialUse() {
        SieveEnvironment env = SieveTesting.env().withMailboxes(f -> f.equals("Existing"));
        SieveResult r = SieveTesting.run("""
                require ["mailbox", "fileinto", "special-use"];
                if mailboxexists "Existing" { fileinto "Existing"; }
                if mailboxexists ["Existing", "Other"] { fileinto "both"; }
                fileinto :create "New/Folder";
                fileinto :specialuse "\\\\Junk" "Spam";
                """, msg, env);
        assertEquals(List.of(into("Existing"), new FileInto("New/Folder", Set.of(), true, null, false),
                new FileInto("Spam", Set.of(), false, "\\Junk", false)), r.actions());
    }

    /** A VacationLog remembering replies in memory, as the persistent one does. */
    private static final class MemoryVacationLog implements VacationLog {
        final Map<String, Duration> replied = new HashMap<>();

        @Override
        public boolean shouldRespond(String handle, String sender, Duration period) {
            return replied.put(handle + "|" + sender.toLowerCase(), period) == null;
        }
    }

    @Test
    void vacationRfc5230() {
        MemoryVacationLog log = new MemoryVacationLog();
        SieveEnvironment env = SieveTesting.env().withVacationLog(log)
                .withOwnAddresses(Set.of("bob+lists@example.com"));
        String script = """
                require "vacation";
                vacation :days 7 :addresses ["bob@example.com"] "I'm out -- send mail to cyrus-bugs";
                """;
        SieveResult r = SieveTesting.run(script, msg, env);
        SieveAction.Vacation v = r.actions(SieveAction.Vacation.class).get(0);
        assertEquals("alice@example.org", v.to());
        assertEquals("bob@example.com", v.from());
        assertEquals("Auto: Café meeting [urgent]", v.subject());
        assertEquals(Duration.ofDays(7), v.period());
        assertEquals("<m1@example.org>", v.inReplyTo());
        assertTrue(r.actions().contains(new Keep(Set.of())), "vacation keeps the message");
        // second message from the same sender within the period: no reply
        assertTrue(SieveTesting.run(script, msg, env).actions(SieveAction.Vacation.class).isEmpty());
        // a different :handle is a different reply
        assertEquals(1, SieveTesting.run("require \"vacation\"; vacation :handle \"h2\" :subject \"Away\""
                + " :from \"bob@example.com\" \"away\";", msg, env).actions(SieveAction.Vacation.class).size());

        MemoryVacationLog fresh = new MemoryVacationLog();
        SieveEnvironment e2 = SieveTesting.env().withVacationLog(fresh);
        String v2 = "require \"vacation\"; vacation \"away\";";
        assertNoReply(v2, message("", "bob@example.com", SIMPLE), e2, "null sender");
        assertNoReply(v2, message("owner-list@example.org", "bob@example.com", SIMPLE), e2, "owner-");
        assertNoReply(v2, message("alice@example.org", "bob@example.com", "List-Id: <l.example.org>\n" + SIMPLE),
                e2, "List-Id");
        assertNoReply(v2, message("alice@example.org", "bob@example.com", "Precedence: bulk\n" + SIMPLE), e2, "bulk");
        assertNoReply(v2, message("alice@example.org", "bob@example.com", "Auto-Submitted: auto-replied\n" + SIMPLE),
                e2, "auto-submitted");
        assertNoReply(v2, message("alice@example.org", "zed@example.com", SIMPLE), e2, "not addressed to us");
        assertNoReply(v2, message("bob@example.com", "bob@example.com", "To: bob@example.com\n\nx\n"), e2, "to self");
        assertTrue(fresh.replied.isEmpty(), "the log is asked only for real replies");
        SieveResult ok = SieveTesting.run(v2, message("alice@example.org", "bob@example.com",
                "Auto-Submitted: no\nTo: Bob <BOB@example.com>\nSubject: hi\n\nx\n"), e2);
        assertEquals(1, ok.actions(SieveAction.Vacation.class).size());
    }

    private static void assertNoReply(String script, SieveMessage m, SieveEnvironment env, String why) {
        assertTrue(SieveTesting.run(script, m, env).actions(SieveAction.Vacation.class).isEmpty(), why);
    }

    @Test
    void vacationSecondsAndMime() {
        SieveResult r = SieveTesting.run("""
                require ["vacation", "vacation-seconds"];
                vacation :seconds 1800 :mime :subject "Gone" text:
                Content-Type: text/plain; charset=utf-8

                Back soon.
                .
                ;
                """, message("alice@example.org", "bob@example.com", "To: bob@example.com\n\nx\n"),
                SieveTesting.env());
        SieveAction.Vacation v = r.actions(SieveAction.Vacation.class).get(0);
        assertEquals(Duration.ofMinutes(30), v.period());
        assertTrue(v.mime());
        assertEquals("Gone", v.subject());
        assertTrue(v.body().startsWith("Content-Type: text/plain"));
    }

    /** Duplicate store in memory. */
    private static final class MemoryDuplicateLog implements DuplicateLog {
        final Map<String, Duration> tracked = new HashMap<>();

        @Override
        public boolean seen(String handle, String id) {
            return tracked.containsKey(handle + "|" + id);
        }

        @Override
        public void track(String handle, String id, Duration period, boolean last) {
            tracked.put(handle + "|" + id, period);
        }
    }

    @Test
    void duplicateRfc7352() {
        MemoryDuplicateLog log = new MemoryDuplicateLog();
        SieveEnvironment env = SieveTesting.env().withDuplicateLog(log);
        String script = """
                require ["duplicate", "fileinto", "mailbox"];
                if duplicate { fileinto :create "Trash/Duplicate"; }
                """;
        assertEquals(List.of(new Keep(Set.of())), SieveTesting.run(script, msg, env).actions());
        assertEquals(Duration.ofHours(12), log.tracked.get("|<m1@example.org>"));
        assertEquals(List.of(new FileInto("Trash/Duplicate", Set.of(), true, null, false)),
                SieveTesting.run(script, msg, env).actions());
        // RFC 7352 §3 example with :header and :uniqueid
        String alerts = """
                require ["duplicate", "variables", "fileinto"];
                if header :matches "subject" "ALERT: *" {
                  if duplicate :seconds 60 :uniqueid "${1}" { discard; }
                }
                if duplicate :header "X-None" { fileinto "never"; }
                """;
        SieveMessage alert = message("a@b.cd", "bob@example.com", "Subject: ALERT: disk full\n\nx\n");
        assertEquals(List.of(new Keep(Set.of())), SieveTesting.run(alerts, alert, env).actions());
        assertEquals(Duration.ofSeconds(60), log.tracked.get("|disk full"));
        assertEquals(List.of(new SieveAction.Discard()), SieveTesting.run(alerts, alert, env).actions());
        // a failing script tracks nothing
        MemoryDuplicateLog none = new MemoryDuplicateLog();
        SieveTesting.run("require [\"duplicate\", \"reject\", \"fileinto\"]; if duplicate { stop; }"
                + " fileinto \"x\"; reject \"r\";", msg, SieveTesting.env().withDuplicateLog(none));
        assertTrue(none.tracked.isEmpty());
    }

    @Test
    void includeRfc6609() throws Exception {
        Map<String, String> personal = new HashMap<>();
        personal.put("spam_tests", """
                require ["variables", "include", "fileinto"];
                global "test_mailbox";
                if header :contains "subject" "urgent" { set "test_mailbox" "spam-${test_mailbox}"; return; }
                fileinto "not-reached";
                """);
        personal.put("loop", "require \"include\"; include \"loop\";");
        personal.put("stopper", "stop;");
        Map<String, String> global = Map.of("spam_tests", "require \"fileinto\"; fileinto \"global-spam\";");
        List<String> calls = new ArrayList<>();
        ScriptResolver resolver = (location, name) -> {
            calls.add(location + ":" + name);
            String src = (location == ScriptResolver.Location.GLOBAL ? global : personal).get(name);
            return src == null ? Optional.empty() : Optional.of(SieveCompiler.compile(name, src));
        };
        SieveEnvironment env = SieveTesting.env().withScripts(resolver);
        SieveResult r = SieveTesting.run("""
                require ["variables", "include", "fileinto"];
                global "test_mailbox";
                set "test_mailbox" "box";
                include :personal "spam_tests";
                include :personal :once "spam_tests";
                include :global "spam_tests";
                include :optional "missing";
                fileinto "${test_mailbox}";
                """, msg, env);
        assertEquals(List.of("global-spam", "spam-box"), folders(r));
        assertEquals(List.of("PERSONAL:spam_tests", "GLOBAL:spam_tests", "PERSONAL:missing"), calls);

        SieveResult missing = SieveTesting.run("require \"include\"; include \"missing\";", msg, env);
        assertTrue(missing.error().orElseThrow().contains("not found"));
        SieveResult loop = SieveTesting.run("require \"include\"; include \"loop\";", msg, env);
        assertTrue(loop.error().orElseThrow().contains("recursive include"), loop.error().toString());
        assertEquals(List.of(new Keep(Set.of())), loop.actions());
        SieveResult stop = SieveTesting.run("require [\"include\", \"fileinto\"]; include \"stopper\";"
                + " fileinto \"after\";", msg, env);
        assertEquals(List.of(new Keep(Set.of())), stop.actions(), "stop in an included script stops everything");
    }
}
