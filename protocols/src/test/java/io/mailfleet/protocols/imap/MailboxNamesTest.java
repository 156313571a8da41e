package io.mailfleet.protocols.imap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MailboxNamesTest {

    @Test
    void modifiedUtf7AndUtf8NamesMeanTheSameStoredName() {
        assertEquals("Données/日本語", MailboxNames.fromWire("Donn&AOk-es/&ZeVnLIqe-", '/', false));
        assertEquals("Données/日本語", MailboxNames.fromWire("Données/日本語", '/', true));
        assertEquals("R&D", MailboxNames.fromWire("R&-D", '/', false));
        assertEquals("R&D", MailboxNames.fromWire("R&D", '/', true));
        assertEquals("INBOX/Süß", MailboxNames.fromWire("inbox/Süß/", '/', true));
        assertEquals("\"Donn&AOk-es/R&-D\"", MailboxNames.toWire("Données/R&D", false));
        assertEquals("\"Données/R&D\"", MailboxNames.toWire("Données/R&D", true));
        assertEquals("\"a \\\"b\\\"\"", MailboxNames.toWire("a \"b\"", true));
    }

    @Test
    void badNamesAreRefusedNamingTheProblem() {
        assertEquals("mailbox name is not valid UTF-8",
                assertThrows(ImapParseException.class, () -> MailboxNames.fromWire("bad\uFFFD", '/', true)).getMessage());
        assertEquals("mailbox name contains the control character U+2028 (not allowed by RFC 6855)",
                assertThrows(ImapParseException.class, () -> MailboxNames.fromWire("a\u2028b", '/', true)).getMessage());
        assertEquals("mailbox name contains the control character U+0001 (not allowed by RFC 6855)",
                assertThrows(ImapParseException.class, () -> MailboxNames.fromWire("&AAE-", '/', false)).getMessage());
        assertEquals("mailbox name has a non-ASCII character: use modified UTF-7 (or send ENABLE UTF8=ACCEPT first)",
                assertThrows(ImapParseException.class, () -> MailboxNames.fromWire("Süß", '/', false)).getMessage());
        assertEquals("unterminated modified UTF-7 sequence in mailbox name",
                assertThrows(ImapParseException.class, () -> MailboxNames.fromWire("&Jjo", '/', false)).getMessage());
    }
}
