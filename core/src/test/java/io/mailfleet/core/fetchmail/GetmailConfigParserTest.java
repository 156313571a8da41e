package io.mailfleet.core.fetchmail;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GetmailConfigParserTest {

    private static FetchmailConfig parse(String text) {
        return GetmailConfigParser.parse("/cfg/getmail-work.cf", "getmail-work.cf", text);
    }

    @Test
    void readsTheFileDockerMailserversDocumentationShows() {
        FetchmailConfig c = parse("""
                [retriever]
                type = SimpleIMAPSSLRetriever
                server = imap.gmail.com
                username = alice.cooper@gmail.com
                password = notsecure:really=so
                ; a comment

                [destination]
                type = MDA_external
                path = /usr/lib/dovecot/deliver
                allow_root_commands = true
                arguments =("-d","alice@example.com")
                """);
        assertEquals(List.of(), c.problems());
        assertEquals(List.of(), c.notes());
        FetchmailSource s = c.sources().get(0);
        assertEquals("getmail-work", s.name());
        assertEquals(FetchmailSource.Protocol.IMAP, s.protocol());
        assertTrue(s.ssl());
        assertEquals(993, s.port());
        assertEquals("imap.gmail.com", s.host());
        assertEquals("alice.cooper@gmail.com", s.user());
        assertEquals("notsecure:really=so", s.password());
        assertEquals("alice@example.com", s.localRecipient());
        // getmailrc_general's delete = false; getmail takes read and unread mail alike
        assertTrue(s.keep());
        assertTrue(s.fetchAll());
        assertNull(s.folder());
        assertTrue(s.checkCertificate());
        assertEquals("/cfg/getmail-work.cf:1", s.origin());
    }

    @Test
    void pop3PortDeleteAndSeveralMailboxes() {
        FetchmailConfig pop = parse("""
                [retriever]
                type: SimplePOP3Retriever
                server: pop.example.net
                port: 1110
                username: bob
                password: pw

                [destination]
                type = MDA_external
                path = /usr/lib/dovecot/deliver
                arguments = ('-d',
                    'Bob@Example.com')

                [options]
                verbose = 0
                read_all = false
                delete = true
                max_messages_per_session = 500
                """);
        assertEquals(List.of(), pop.problems());
        FetchmailSource p = pop.sources().get(0);
        assertEquals(FetchmailSource.Protocol.POP3, p.protocol());
        assertFalse(p.ssl());
        assertEquals(1110, p.port());
        assertEquals("bob@example.com", p.localRecipient());
        assertFalse(p.keep());

        FetchmailConfig imap = parse("""
                [retriever]
                type = SimpleIMAPRetriever
                server = 127.0.0.1
                username = carol
                password = pw
                mailboxes = ("INBOX", "Lists/Foo",)
                use_peek = false
                [destination]
                type = MDA_external
                arguments = ("-d", "carol@example.com")
                [options]
                read_all = true
                """);
        assertEquals(List.of(), imap.problems());
        assertEquals(List.of("getmail-work", "getmail-work/Lists/Foo"),
                imap.sources().stream().map(FetchmailSource::name).toList());
        assertEquals("Lists/Foo", imap.sources().get(1).folder());
        assertEquals(143, imap.sources().get(0).port());
        assertTrue(imap.notes().stream().anyMatch(n -> n.startsWith("/cfg/getmail-work.cf:7: [retriever] use_peek")),
                imap.notes().toString());
        assertTrue(imap.notes().stream().anyMatch(n -> n.startsWith("/cfg/getmail-work.cf:12: [options] read_all")),
                imap.notes().toString());
    }

    @Test
    void badFilesAreReportedWithFileAndLineOrSectionAndKey() {
        String destination = "[destination]\ntype = MDA_external\narguments = (\"-d\", \"a@example.com\")\n";
        assertProblem("[retriever]\ntype = SimpleIMAPRetriever\nserver = h\nthis line has no value\n" + destination,
                "/cfg/getmail-work.cf:4: expected 'key = value'");
        assertProblem("username = x\n" + destination, "/cfg/getmail-work.cf:1: 'username' is outside any [section]");
        assertProblem("[retriever\n", "/cfg/getmail-work.cf:1: '[retriever' is not a [section] header");
        assertProblem(destination, "/cfg/getmail-work.cf: no [retriever] section");
        assertProblem("[retriever]\ntype = MultidropPOP3Retriever\nserver = h\nusername = u\npassword = p\n" + destination,
                "/cfg/getmail-work.cf:[retriever] type: 'MultidropPOP3Retriever' is not supported");
        assertProblem("[retriever]\ntype = SimplePOP3Retriever\nserver = h\nusername = u\n" + destination,
                "/cfg/getmail-work.cf:[retriever] password: missing");
        assertProblem("[retriever]\ntype = SimplePOP3Retriever\nserver = h\nport = 99999\nusername = u\npassword = p\n"
                + destination, "/cfg/getmail-work.cf:[retriever] port: must be 1..65535");
        assertProblem("[retriever]\ntype = SimpleIMAPSSLRetriever\nserver = h\nusername = u\npassword = p\n"
                + "use_xoauth2 = True\n" + destination, "/cfg/getmail-work.cf:[retriever] use_xoauth2: is not supported");
        assertProblem("[retriever]\ntype = SimplePOP3Retriever\nserver = h\nusername = u\npassword = p\n"
                + "mailboxes = (\"INBOX\",)\n" + destination, "[retriever] mailboxes: needs an IMAP retriever");
        String retriever = "[retriever]\ntype = SimplePOP3Retriever\nserver = h\nusername = u\npassword = p\n";
        assertProblem(retriever + "[destination]\ntype = Maildir\npath = /var/mail/\n",
                "/cfg/getmail-work.cf:[destination] type: 'Maildir' is not supported");
        assertProblem(retriever + "[destination]\ntype = MDA_external\narguments = (\"-d\")\n",
                "[destination] arguments: has no \"-d\"");
        assertProblem(retriever + "[destination]\ntype = MDA_external\narguments = (\"-d\", \"alice\")\n",
                "[destination] arguments: the local account 'alice' must be a full address");
        assertProblem(retriever + "[destination]\ntype = MDA_external\narguments = (\"-d\", \"a@b\n",
                "[destination] arguments: must be a list");
        assertProblem(retriever + "[destination]\ntype = MDA_external\narguments = (\"-d\" \"a@b\")\n",
                "[destination] arguments: expected ','");
        assertProblem(retriever + destination + "[options]\ndelete = perhaps\n",
                "/cfg/getmail-work.cf:[options] delete: must be true or false, got 'perhaps'");
        assertProblem(retriever + destination + "[retriever]\n", "/cfg/getmail-work.cf:9: section [retriever] appears twice");
        assertProblem("\u0000\uffff[[[=\n", "/cfg/getmail-work.cf:1:");
    }

    private static void assertProblem(String text, String expected) {
        FetchmailConfig c = parse(text);
        assertEquals(List.of(), c.sources(), text);
        assertEquals(1, c.problems().size(), c.problems().toString());
        assertTrue(c.problems().get(0).contains(expected), c.problems().get(0) + " should contain " + expected);
    }

    @Test
    void theSourceIsNamedAfterTheFile() {
        assertEquals("getmail-gmail", GetmailConfigParser.sourceName("getmail-gmail.cf"));
    }
}
