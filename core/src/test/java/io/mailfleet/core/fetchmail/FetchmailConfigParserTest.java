package io.mailfleet.core.fetchmail;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FetchmailConfigParserTest {

    @Test
    void readsDockerMailserverStyleEntries() {
        String text = """
                # fetchmail.cf as docker-mailserver's documentation shows it
                set daemon 300
                poll 'mail.example.com' proto pop3
                  user 'alice' pass 'se"cret' is 'alice@local.test' here
                  options keep ssl

                poll imap.example.org with protocol imap port 1143
                    username "bob" there with password "p w" is "Bob@Local.Test" here
                    fetchall folder "Lists/Foo" no sslcertck
                """;
        FetchmailConfig c = FetchmailConfigParser.parse("fetchmail.cf", text);
        assertEquals(List.of(), c.problems());
        assertEquals(1, c.notes().size());
        assertTrue(c.notes().get(0).startsWith("fetchmail.cf:2:"), c.notes().toString());
        FetchmailSource a = c.sources().get(0);
        assertEquals("alice@mail.example.com", a.name());
        assertEquals(FetchmailSource.Protocol.POP3, a.protocol());
        assertEquals(995, a.port());
        assertEquals("se\"cret", a.password());
        assertEquals("alice@local.test", a.localRecipient());
        assertTrue(a.keep());
        assertTrue(a.ssl());
        assertFalse(a.fetchAll());
        assertNull(a.folder());
        assertEquals("fetchmail.cf:3", a.origin());
        FetchmailSource b = c.sources().get(1);
        assertEquals("bob@imap.example.org/Lists/Foo", b.name());
        assertEquals(FetchmailSource.Protocol.IMAP, b.protocol());
        assertEquals(1143, b.port());
        assertEquals("p w", b.password());
        assertEquals("bob@local.test", b.localRecipient());
        assertFalse(b.keep());
        assertTrue(b.fetchAll());
        assertFalse(b.checkCertificate());
        assertEquals("Lists/Foo", b.folder());
        assertFalse(b.toString().contains("p w"), "the password never shows in toString");
    }

    @Test
    void imapSourcesIdleUnlessTheEntrySaysNoIdle() {
        String text = String.join("\n",
                "poll a.example proto imap user 'u' pass 'p' is 'x@local.test'",
                "poll b.example proto imap user 'u' pass 'p' is 'x@local.test' idle",
                "poll c.example proto imap user 'u' pass 'p' is 'x@local.test' no idle",
                "poll d.example proto imap user 'u' pass 'p' is 'x@local.test' options idle no idle");
        FetchmailConfig c = FetchmailConfigParser.parse("fetchmail.cf", text);
        assertEquals(List.of(), c.problems());
        assertEquals(List.of(true, true, false, false), c.sources().stream().map(FetchmailSource::idle).toList());
    }

    @Test
    void badEntriesAreReportedWithFileAndLineAndTheOthersStillWork() {
        String text = String.join("\n",
                "poll a.example proto pop2 user 'u' pass 'p' is 'x@local.test'",   // 1: protocol
                "poll b.example proto pop3 user 'u' is 'x@local.test'",            // 2: no password
                "poll c.example proto pop3 user 'u' pass 'p' is 'x@local.test' mda '/usr/bin/procmail'", // 3
                "poll d.example proto imap user 'u' pass 'p",                       // 4: unterminated
                "poll e.example proto pop3 user 'u' pass 'p' is 'x@local.test' frobnicate", // 5
                "poll ok.example proto pop3 user 'u' pass 'p' is 'x@local.test' no keep",   // 6: good
                "poll ok.example proto pop3 user 'u' pass 'q' is 'y@local.test'",   // 7: duplicate
                "poll f.example proto pop3 port 99999 user 'u' pass 'p' is 'x@local.test'", // 8
                "poll g.example proto pop3 user 'u' pass 'p' is 'nodomain'",        // 9
                "garbage here",                    // 10: continues entry 9, reported at its own line
                "poll h.example proto pop3 user 'u' pass 'p' is 'x@local.test' folder 'X'"); // 11
        FetchmailConfig c = FetchmailConfigParser.parse("/etc/fetchmail.cf", text);
        assertEquals(1, c.sources().size(), c.toString());
        assertEquals("u@ok.example", c.sources().get(0).name());
        assertFalse(c.sources().get(0).keep());
        List<String> p = c.problems();
        for (int line : new int[]{1, 2, 3, 4, 5, 7, 8, 10, 11}) {
            assertTrue(p.stream().anyMatch(s -> s.startsWith("/etc/fetchmail.cf:" + line + ": ")),
                    "line " + line + " reported: " + p);
        }
        assertTrue(p.stream().anyMatch(s -> s.contains("pop2")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("unterminated")), p.toString());
        assertEquals(List.of("f:1: the local name 'nodomain' must be a full address (user@domain); entry skipped"),
                FetchmailConfigParser.parse("f", "poll g.example proto pop3 user 'u' pass 'p' is 'nodomain'").problems());
        assertTrue(FetchmailConfigParser.parse("f", "garbage\npoll x").problems().get(0).startsWith("f:1: expected 'poll'"));
    }
}
