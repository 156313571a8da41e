package io.mailfleet.core.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The message of Dovecot's own lib-imap BODYSTRUCTURE unit test, with the strings Dovecot writes
 * for it. Dovecot counts sizes as if lines ended in CRLF, so the CRLF form must match exactly.
 */
class DovecotReferenceTest {

    static final String MESSAGE = """
            From: user@domain.org
            Date: Sat, 24 Mar 2007 23:00:00 +0200
            Mime-Version: 1.0
            Content-Type: multipart/mixed; boundary="foo
             bar"

            Root MIME prologue

            --foo bar
            Content-Type: text/x-myown; charset=us-ascii; foo="quoted\\"string"
            Content-ID: <foo@example.com>
            Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==
            Content-Disposition: inline; foo=bar
            Content-Description: hellodescription
            Content-Language: en, fi, se
            Content-Location: http://example.com/test.txt

            hello

            --foo bar
            Content-Type: message/rfc822

            From: sub@domain.org
            To: sub-to1@domain.org, sub-to2@domain.org
            Date: Sun, 12 Aug 2012 12:34:56 +0300
            Subject: submsg
            Content-Type: multipart/alternative; boundary="sub1"

            Sub MIME prologue
            --sub1
            Content-Type: text/html
            Content-Transfer-Encoding: 8bit

            <p>Hello world</p>

            --sub1
            Content-Type: text/plain
            Content-Transfer-Encoding: ?invalid

            Hello another world

            --sub1--
            Sub MIME epilogue

            --foo bar--
            Root MIME epilogue
            """;

    static final String DOVECOT_BODYSTRUCTURE = "(\"text\" \"x-myown\" (\"charset\" \"us-ascii\" \"foo\" \"quoted\\\"string\")"
            + " \"<foo@example.com>\" \"hellodescription\" \"7bit\" 7 1 \"Q2hlY2sgSW50ZWdyaXR5IQ==\""
            + " (\"inline\" (\"foo\" \"bar\")) (\"en\" \"fi\" \"se\") \"http://example.com/test.txt\")"
            + "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 412 (\"Sun, 12 Aug 2012 12:34:56 +0300\" \"submsg\""
            + " ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub\" \"domain.org\"))"
            + " ((NIL NIL \"sub-to1\" \"domain.org\")(NIL NIL \"sub-to2\" \"domain.org\")) NIL NIL NIL NIL)"
            + " ((\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"8bit\" 20 1 NIL NIL NIL NIL)"
            + "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 21 1 NIL NIL NIL NIL)"
            + " \"alternative\" (\"boundary\" \"sub1\") NIL NIL NIL) 21 NIL NIL NIL NIL)"
            + " \"mixed\" (\"boundary\" \"foo bar\") NIL NIL NIL";

    static final String DOVECOT_BODY = "(\"text\" \"x-myown\" (\"charset\" \"us-ascii\" \"foo\" \"quoted\\\"string\")"
            + " \"<foo@example.com>\" \"hellodescription\" \"7bit\" 7 1)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 412"
            + " (\"Sun, 12 Aug 2012 12:34:56 +0300\" \"submsg\" ((NIL NIL \"sub\" \"domain.org\"))"
            + " ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub\" \"domain.org\"))"
            + " ((NIL NIL \"sub-to1\" \"domain.org\")(NIL NIL \"sub-to2\" \"domain.org\")) NIL NIL NIL NIL)"
            + " ((\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"8bit\" 20 1)"
            + "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 21 1) \"alternative\") 21) \"mixed\"";

    @Test
    void bodyStructureMatchesDovecotByteForByte() {
        MessageSummary m = Msg.parse(Msg.crlf(MESSAGE));
        assertEquals("(" + DOVECOT_BODYSTRUCTURE + ")", ImapFormat.bodyStructure(m.body()));
        assertEquals("(" + DOVECOT_BODY + ")", ImapFormat.body(m.body()));
    }

    @Test
    void envelopeDefaultsSenderAndReplyToToFrom() {
        MessageSummary m = Msg.parse(Msg.crlf(MESSAGE));
        assertEquals("(\"Sat, 24 Mar 2007 23:00:00 +0200\" NIL ((NIL NIL \"user\" \"domain.org\"))"
                + " ((NIL NIL \"user\" \"domain.org\")) ((NIL NIL \"user\" \"domain.org\")) NIL NIL NIL NIL NIL)",
                ImapFormat.envelope(m.envelope()));
    }

    @Test
    void bareLfMessageHasTheSameStructureWithRawSizes() {
        byte[] raw = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        MessageSummary m = Msg.parse(raw);
        // raw octets: each LF-only line is one octet shorter than Dovecot's CRLF-normalised count
        String expected = "(" + DOVECOT_BODYSTRUCTURE.replace("\"7bit\" 7 1", "\"7bit\" 6 1")
                .replace("\"7bit\" 412", "\"7bit\" 391").replace("\"8bit\" 20 1", "\"8bit\" 19 1")
                .replace("\"7bit\" 21 1", "\"7bit\" 20 1") + ")";
        assertEquals(expected, ImapFormat.bodyStructure(m.body()));
        assertEquals(raw.length, m.size());
        assertEquals(MESSAGE.chars().filter(c -> c == '\n').count(), m.lines());
        BodyPart hello = m.part("1").orElseThrow();
        assertEquals("hello\n", Msg.slice(raw, hello.bodyStart(), hello.bodyEnd()));
        assertEquals("\n--foo bar", Msg.slice(raw, hello.bodyEnd(), hello.bodyEnd() + 10));
    }

    @Test
    void sectionsOfTheEmbeddedMessageAddressTheRightBytes() {
        byte[] raw = Msg.crlf(MESSAGE);
        MessageSummary m = Msg.parse(raw);
        assertEquals("Content-Type: message/rfc822\r\n\r\n",
                Msg.range(raw, Sections.range(m, "2", Sections.Kind.MIME).orElseThrow()));
        String header = Msg.range(raw, Sections.range(m, "2", Sections.Kind.HEADER).orElseThrow());
        assertEquals(true, header.startsWith("From: sub@domain.org\r\n"));
        assertEquals(true, header.endsWith("boundary=\"sub1\"\r\n\r\n"));
        String text = Msg.range(raw, Sections.range(m, "2", Sections.Kind.TEXT).orElseThrow());
        assertEquals(true, text.startsWith("Sub MIME prologue\r\n--sub1\r\n"));
        assertEquals(true, text.endsWith("Sub MIME epilogue\r\n"));
        assertEquals("<p>Hello world</p>\r\n",
                Msg.range(raw, Sections.range(m, "2.1", Sections.Kind.ALL).orElseThrow()));
        assertEquals("Content-Type: text/plain\r\nContent-Transfer-Encoding: ?invalid\r\n\r\n",
                Msg.range(raw, Sections.range(m, "2.2", Sections.Kind.MIME).orElseThrow()));
        assertEquals("Hello another world\r\n",
                Msg.range(raw, Sections.range(m, "2.2", Sections.Kind.ALL).orElseThrow()));
        assertEquals(412, Sections.range(m, "2", Sections.Kind.ALL).orElseThrow().length());
        assertEquals(true, Sections.range(m, "3", Sections.Kind.ALL).isEmpty());
        assertEquals(true, Sections.range(m, "1", Sections.Kind.HEADER).isEmpty());
        assertEquals(Msg.slice(raw, 0, m.headerEnd()),
                Msg.range(raw, Sections.range(m, "", Sections.Kind.HEADER).orElseThrow()));
    }
}
