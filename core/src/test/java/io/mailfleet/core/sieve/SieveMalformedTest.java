package io.mailfleet.core.sieve;

import static io.mailfleet.core.sieve.SieveTesting.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Broken messages and random valid scripts: a result every time, never an exception. */
class SieveMalformedTest {

    @Test
    void brokenMimeStillGivesText() {
        SieveMessage m = message("a@b.cd", "bob@example.com", """
                Content-Type: multipart/mixed; boundary="never-closed"
                Date: not a date at all
                From: <<<@@@>>>
                To: ;;;

                --never-closed
                Content-Type: text/plain; charset=x-unknown-charset

                needle in a broken haystack
                """);
        SieveResult r = SieveTesting.run("""
                require ["body", "date", "fileinto"];
                if body :contains "needle" { fileinto "found"; }
                if date :is "date" "year" "2024" { fileinto "dated"; }
                if address :domain :is "from" "x" { fileinto "addr"; }
                """, m);
        assertTrue(r.error().isEmpty(), r.error().toString());
        assertEquals(List.of(new SieveAction.FileInto("found", Set.of(), false, null, false)), r.actions());
    }

    @Test
    void randomScriptsAlwaysEndWithAResult() {
        String[] tests = {"true", "false", "header :contains \"subject\" \"a\"", "size :over 1",
                "address :domain \"from\" \"b.cd\"", "exists \"x\"", "body :contains \"x\"",
                "header :regex \"subject\" \"(.*a){8}x\"", "string :matches \"${1}\" \"*\""};
        String[] commands = {"keep;", "discard;", "fileinto \"F\";", "redirect \"r@x.org\";", "stop;",
                "set \"v\" \"${v}${v}x\";", "addflag \"\\\\Seen\";", "fileinto :copy \"C\";", "reject \"r\";",
                "vacation \"away\";", "addheader \"X-A\" \"${v}\";", "deleteheader \"X-A\";"};
        Random random = new Random(7);
        SieveMessage m = message("a@b.cd", "bob@example.com", "From: a@b.cd\nTo: bob@example.com\nSubject: "
                + "a".repeat(30) + "\n\nbody\n");
        SieveEnvironment env = SieveTesting.env().withLimits(SieveLimits.defaults().withMaxSteps(20_000));
        for (int i = 0; i < 300; i++) {
            StringBuilder s = new StringBuilder("require [\"fileinto\", \"copy\", \"variables\", \"imap4flags\","
                    + " \"reject\", \"vacation\", \"regex\", \"body\", \"editheader\"];\n");
            for (int j = 0; j < 1 + random.nextInt(12); j++) {
                s.append("if ").append(tests[random.nextInt(tests.length)]).append(" { ")
                        .append(commands[random.nextInt(commands.length)]).append(" }\n");
                s.append(commands[random.nextInt(commands.length)]).append('\n');
            }
            SieveResult r = SieveTesting.run(s.toString(), m, env);
            assertFalse(r.actions().isEmpty(), s.toString());
            if (r.error().isPresent()) {
                assertTrue(r.actions().contains(new SieveAction.Keep(Set.of())), s.toString());
            }
        }
    }
}
