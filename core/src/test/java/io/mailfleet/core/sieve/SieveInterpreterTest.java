package io.mailfleet.core.sieve;

import static io.mailfleet.core.sieve.SieveTesting.SIMPLE;
import static io.mailfleet.core.sieve.SieveTesting.message;
import static io.mailfleet.core.sieve.SieveTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailfleet.core.sieve.SieveAction.Discard;
import io.mailfleet.core.sieve.SieveAction.FileInto;
import io.mailfleet.core.sieve.SieveAction.Keep;
import io.mailfleet.core.sieve.SieveAction.Redirect;
import io.mailfleet.core.sieve.SieveAction.Reject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SieveInterpreterTest {
    private final SieveMessage msg = message("alice@example.org", "bob@example.com", SIMPLE);

    private static FileInto into(String folder) {
        return new FileInto(folder, Set.of(), false, null, false);
    }

    @Test
    void emptyScriptKeeps() {
        assertEquals(List.of(new Keep(Set.of())), run("", msg).actions());
    }

    @Test
    void implicitKeepRules() {
        assertEquals(List.of(into("Work")), run("require \"fileinto\"; fileinto \"Work\";", msg).actions());
        assertEquals(List.of(new FileInto("Work", Set.of(), false, null, true), new Keep(Set.of())),
                run("require [\"fileinto\", \"copy\"]; fileinto :copy \"Work\";", msg).actions());
        assertEquals(List.of(new Redirect("x@example.net", false)), run("redirect \"x@example.net\";", msg).actions());
        assertEquals(List.of(new Redirect("x@example.net", true), new Keep(Set.of())),
                run("require \"copy\"; redirect :copy \"x@example.net\";", msg).actions());
        assertEquals(List.of(new Discard()), run("discard;", msg).actions());
        assertEquals(List.of(new Discard(), new Keep(Set.of())), run("discard; keep;", msg).actions());
        assertEquals(List.of(new Reject("go away", false)), run("require \"reject\"; reject \"go away\";", msg)
                .actions());
        assertEquals(List.of(new Reject("no", true)), run("require \"ereject\"; ereject \"no\";", msg).actions());
        // explicit keep then fileinto: both stores
        assertEquals(List.of(new Keep(Set.of()), into("A")),
                run("require \"fileinto\"; keep; fileinto \"A\";", msg).actions());
        // stop leaves implicit keep in force
        assertEquals(List.of(new Keep(Set.of())), run("stop; discard;", msg).actions());
    }

    @Test
    void rfc5228ExampleScript() {
        // RFC 5228 §9 example, adapted to the test message
        String script = """
                require "fileinto";
                if header :is "Sender" "owner-ietf-mta-filters@imc.org"
                        {
                            fileinto "filter";  # move to "filter" mailbox
                        }
                #
                # Keep all messages to or from people in my company
                #
                elsif address :DOMAIN :is ["From", "To"] "example.com"
                        {
                            keep;               # keep in "In" mailbox
                        }
                #
                # Try and catch unsolicited email.  If a message is not to me,
                # or it contains a subject known to be spam, file it away.
                #
                elsif anyof (NOT address :all :contains
                               ["To", "Cc", "Bcc"] "me@example.com",
                             header :matches "subject"
                               ["*make*money*fast*", "*university*dipl*mas*"])
                        {
                            fileinto "spam";   # move to "spam" mailbox
                        }
                else
                        {
                            # Move all other (non-company) mail to "personal"
                            # mailbox.
                            fileinto "personal";
                        }
                """;
        // To has bob+lists@example.com → domain example.com → keep
        assertEquals(List.of(new Keep(Set.of())), run(script, msg).actions());
        SieveMessage other = message("x@y.org", "me@example.com", """
                From: x@y.org
                To: me@example.com
                Subject: hello

                hi
                """);
        assertEquals(List.of(new Keep(Set.of())), run(script, other).actions(), "example.com domain keeps");
        SieveMessage spam = message("x@y.org", "me@example.com", """
                From: x@y.org
                To: someone@else.org
                Subject: Make lots of MONEY fast

                hi
                """);
        assertEquals(List.of(into("spam")), run(script, spam).actions());
        SieveMessage personal = message("x@y.org", "me@example.com", """
                From: x@y.org
                To: me@example.com.invalid, me@example.com
                Subject: dinner

                hi
                """);
        assertEquals(List.of(into("personal")), run(script.replace("\"example.com\"", "\"example.org\""), personal)
                .actions());
    }

    @Test
    void headerAddressExistsSize() {
        assertTrue(run("if header :contains \"subject\" \"café\" { discard; }", msg).actions().contains(new Discard()),
                "RFC 2047 decoded");
        assertTrue(run("if header :is \"X-Spam-Score\" \"12\" { discard; }", msg).actions().contains(new Discard()));
        assertTrue(run("if address :localpart :is \"from\" \"ALICE\" { discard; }", msg).actions()
                .contains(new Discard()), "ascii-casemap default");
        assertFalse(run("if address :comparator \"i;octet\" :localpart :is \"from\" \"ALICE\" { discard; }", msg)
                .actions().contains(new Discard()));
        assertTrue(run("if address :all :is \"cc\" \"dave@example.com\" { discard; }", msg).actions()
                .contains(new Discard()));
        assertTrue(run("if exists [\"From\", \"Date\"] { discard; }", msg).actions().contains(new Discard()));
        assertFalse(run("if exists [\"From\", \"X-None\"] { discard; }", msg).actions().contains(new Discard()));
        assertTrue(run("if size :under 10K { discard; }", msg).actions().contains(new Discard()));
        assertFalse(run("if size :over 10K { discard; }", msg).actions().contains(new Discard()));
        assertTrue(run("if header :matches \"subject\" \"*[urgent]\" { discard; }", msg).actions()
                .contains(new Discard()));
        assertTrue(run("if header :matches \"subject\" \"Caf? *\" { discard; }", msg).actions()
                .contains(new Discard()));
        assertFalse(run("if header :matches \"subject\" \"Caf\\\\?*\" { discard; }", msg).actions()
                .contains(new Discard()), "escaped ? is literal");
        assertTrue(run("if not header :is \"subject\" \"x\" { discard; }", msg).actions().contains(new Discard()));
        assertTrue(run("if allof(true, not false) { discard; }", msg).actions().contains(new Discard()));
    }

    @Test
    void envelopeAndSubaddress() {
        SieveMessage m = message("alice@example.org", "bob+lists@example.com", SIMPLE);
        String script = """
                require ["envelope", "subaddress", "fileinto", "variables"];
                if envelope :detail :matches "to" "*" { fileinto "detail-${1}"; }
                if envelope :user "to" "bob" { fileinto "user-bob"; }
                if envelope :domain "from" "EXAMPLE.ORG" { fileinto "from-org"; }
                if address :detail "to" "lists" { fileinto "hdr-lists"; }
                """;
        assertEquals(List.of(into("detail-lists"), into("user-bob"), into("from-org"), into("hdr-lists")),
                run(script, m).actions());
        SieveMessage plain = message("", "bob@example.com", SIMPLE);
        assertEquals(List.of(new Keep(Set.of())), run("require [\"envelope\", \"subaddress\", \"fileinto\"];"
                + " if envelope :detail :matches \"to\" \"*\" { fileinto \"x\"; }", plain).actions(),
                "no separator: :detail has no value");
        assertEquals(List.of(new Discard()), run("require \"envelope\"; if envelope :is \"from\" \"\" { discard; }",
                plain).actions(), "null sender compares as the empty string");
    }

    @Test
    void rejectConflictsFallBackToKeep() {
        SieveResult r = run("require [\"reject\", \"fileinto\"]; fileinto \"A\"; reject \"no\";", msg);
        assertEquals(List.of(new Keep(Set.of())), r.actions());
        assertTrue(r.error().orElseThrow().contains("reject conflicts"), r.error().toString());
    }

    @Test
    void redirectLimitFallsBackToKeep() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append("redirect \"u").append(i).append("@example.net\";\n");
        }
        SieveResult r = run(s.toString(), msg);
        assertEquals(List.of(new Keep(Set.of())), r.actions());
        assertTrue(r.error().orElseThrow().contains("line 5: too many redirects"), r.error().toString());
        SieveResult ok = SieveTesting.run(s.toString(), msg, SieveTesting.env()
                .withLimits(SieveLimits.defaults().withMaxRedirects(5)));
        assertEquals(5, ok.actions(Redirect.class).size());
        assertTrue(ok.error().isEmpty());
    }

    @Test
    void actionLimitAndDuplicateFolders() {
        SieveResult r = SieveTesting.run("require \"fileinto\"; fileinto \"A\"; fileinto \"B\"; fileinto \"C\";", msg,
                SieveTesting.env().withLimits(SieveLimits.defaults().withMaxActions(2)));
        assertTrue(r.error().orElseThrow().contains("too many actions"));
        assertEquals(List.of(new Keep(Set.of())), r.actions());
        assertEquals(List.of(into("A")), run("require \"fileinto\"; fileinto \"A\"; fileinto \"A\";", msg).actions());
        assertEquals(List.of(new Keep(Set.of())), run("require \"fileinto\"; keep; fileinto \"INBOX\";", msg).actions());
        assertEquals(List.of(new Redirect("a@b.cd", false)),
                run("redirect \"a@b.cd\"; redirect \"A@b.cd\";", msg).actions());
    }

    @Test
    void stepBudgetStopsCatastrophicRegex() {
        SieveMessage m = message("a@b.cd", "bob@example.com", "Subject: " + "a".repeat(40) + "!\n\nx\n");
        SieveResult r = SieveTesting.run("require [\"regex\", \"fileinto\"];"
                + " if header :regex \"subject\" \"(.*a){12}x\" { fileinto \"never\"; }", m,
                SieveTesting.env().withLimits(SieveLimits.defaults().withMaxSteps(100_000)));
        assertEquals(List.of(new Keep(Set.of())), r.actions());
        assertTrue(r.error().orElseThrow().contains("budget"), r.error().toString());
        SieveResult glob = SieveTesting.run("require \"fileinto\";"
                + " if header :matches \"subject\" \"*a*a*a*a*a*a*a*a*a*a*b\" { fileinto \"never\"; }", m,
                SieveTesting.env().withLimits(SieveLimits.defaults().withMaxSteps(100_000)));
        assertTrue(glob.error().orElseThrow().contains("budget"), glob.error().toString());
    }

    @Test
    void infiniteLikeWorkIsBounded() {
        // many tests over a big body: a step budget ends it, the message is kept
        String script = "require \"body\";\n" + "if body :contains \"zzz\" { discard; }\n".repeat(2000);
        SieveResult r = SieveTesting.run(script, msg,
                SieveTesting.env().withLimits(SieveLimits.defaults().withMaxSteps(3000)));
        assertEquals(List.of(new Keep(Set.of())), r.actions());
        assertTrue(r.error().isPresent());
    }
}
