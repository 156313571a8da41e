package io.mailfleet.core.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageParserTest {

    @Test
    void simpleTextMessage() {
        byte[] raw = Msg.crlf("""
                From: Alice <alice@example.org>
                To: bob@example.com
                Subject: hi
                Date: Mon, 1 Jan 2024 10:00:00 +0000
                Message-ID: <1@example.org>

                line one
                line two
                """);
        MessageSummary m = Msg.parse(raw);
        assertEquals("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 20 2 NIL NIL NIL NIL)",
                ImapFormat.bodyStructure(m.body()));
        assertEquals("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 20 2)", ImapFormat.body(m.body()));
        assertEquals("(\"Mon, 1 Jan 2024 10:00:00 +0000\" \"hi\" ((\"Alice\" NIL \"alice\" \"example.org\"))"
                + " ((\"Alice\" NIL \"alice\" \"example.org\")) ((\"Alice\" NIL \"alice\" \"example.org\"))"
                + " ((NIL NIL \"bob\" \"example.com\")) NIL NIL NIL \"<1@example.org>\")", ImapFormat.envelope(m.envelope()));
        assertEquals("1", m.body().section());
        assertEquals(0, m.body().headerStart());
        assertEquals("line one\r\nline two\r\n", Msg.slice(raw, m.headerEnd(), m.size()));
        assertEquals(raw.length, m.size());
        assertEquals(8, m.lines());
        assertEquals("line one\r\nline two\r\n", Msg.range(raw, Sections.range(m, "1", Sections.Kind.ALL).orElseThrow()));
    }

    static final String MIXED = """
            From: a@example.org
            Subject: report
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            This is a multi-part message in MIME format.
            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain; charset=UTF-8
            Content-Transfer-Encoding: quoted-printable

            Hello =C3=A9
            --inner
            Content-Type: text/html; charset=UTF-8

            <b>Hello</b>
            --inner--

            --outer
            Content-Type: application/pdf; name="report.pdf"
            Content-Disposition: attachment; filename="report.pdf"
            Content-Transfer-Encoding: base64
            Content-ID: <pdf1@example.org>
            Content-Description: The report

            JVBERi0xLjQK
            JSVFT0YK
            --outer
            Content-Type: image/png
            Content-Disposition: inline
            Content-Transfer-Encoding: BASE64
            Content-Language: de

            iVBORw0KGgo=
            --outer--
            """;

    @Test
    void multipartMixedWithAlternativeAndAttachments() {
        byte[] raw = Msg.crlf(MIXED);
        MessageSummary m = Msg.parse(raw);
        assertEquals("(((\"text\" \"plain\" (\"charset\" \"UTF-8\") NIL NIL \"quoted-printable\" 12 0 NIL NIL NIL NIL)"
                + "(\"text\" \"html\" (\"charset\" \"UTF-8\") NIL NIL \"7bit\" 12 0 NIL NIL NIL NIL)"
                + " \"alternative\" (\"boundary\" \"inner\") NIL NIL NIL)"
                + "(\"application\" \"pdf\" (\"name\" \"report.pdf\") \"<pdf1@example.org>\" \"The report\" \"base64\" 22"
                + " NIL (\"attachment\" (\"filename\" \"report.pdf\")) NIL NIL)"
                + "(\"image\" \"png\" NIL NIL NIL \"BASE64\" 12 NIL (\"inline\" NIL) (\"de\") NIL)"
                + " \"mixed\" (\"boundary\" \"outer\") NIL NIL NIL)", ImapFormat.bodyStructure(m.body()));
        assertEquals("", m.body().section());
        assertEquals("Hello =C3=A9", Msg.range(raw, Sections.range(m, "1.1", Sections.Kind.ALL).orElseThrow()));
        assertEquals("<b>Hello</b>", Msg.range(raw, Sections.range(m, "1.2", Sections.Kind.ALL).orElseThrow()));
        assertEquals("JVBERi0xLjQK\r\nJSVFT0YK", Msg.range(raw, Sections.range(m, "2", Sections.Kind.ALL).orElseThrow()));
        assertEquals("iVBORw0KGgo=", Msg.range(raw, Sections.range(m, "3", Sections.Kind.ALL).orElseThrow()));
        // the alternative part's body runs from its first boundary to before the outer delimiter
        String alt = Msg.range(raw, Sections.range(m, "1", Sections.Kind.ALL).orElseThrow());
        assertTrue(alt.startsWith("--inner\r\n"));
        assertTrue(alt.endsWith("--inner--\r\n"));
        assertEquals("Content-Type: image/png\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: BASE64\r\n"
                + "Content-Language: de\r\n\r\n", Msg.range(raw, Sections.range(m, "3", Sections.Kind.MIME).orElseThrow()));
        assertEquals(List.of("1", "1.1", "1.2", "2", "3"), sections(m.body()));
    }

    @Test
    void messageRfc822AttachmentContainingMultipart() {
        String inner = """
                From: "Doe, John" <john@example.net>
                Subject: inner
                Content-Type: multipart/mixed; boundary=b2

                --b2
                Content-Type: text/plain

                inner text
                --b2
                Content-Type: application/octet-stream

                AAAA
                --b2--
                """;
        byte[] raw = Msg.crlf("""
                From: a@example.org
                Content-Type: multipart/mixed; boundary=b1

                --b1
                Content-Type: text/plain

                see attached
                --b1
                Content-Type: message/rfc822
                Content-Disposition: attachment

                """ + inner + "--b1--\n");
        MessageSummary m = Msg.parse(raw);
        BodyPart attached = m.part("2").orElseThrow();
        assertTrue(attached.isMessage());
        assertEquals("2", attached.message().section());
        // the CRLF ending "--b2--" is the start of the outer delimiter, not part of the attachment
        assertEquals(Msg.crlf(inner).length - 2, attached.size());
        assertEquals(12, attached.lines());
        assertEquals("inner text", Msg.range(raw, Sections.range(m, "2.1", Sections.Kind.ALL).orElseThrow()));
        assertEquals("AAAA", Msg.range(raw, Sections.range(m, "2.2", Sections.Kind.ALL).orElseThrow()));
        assertEquals("(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" " + attached.size()
                + " (NIL \"inner\" ((\"Doe, John\" NIL \"john\" \"example.net\")) ((\"Doe, John\" NIL \"john\" \"example.net\"))"
                + " ((\"Doe, John\" NIL \"john\" \"example.net\")) NIL NIL NIL NIL NIL)"
                + " ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0 NIL NIL NIL NIL)"
                + "(\"application\" \"octet-stream\" NIL NIL NIL \"7bit\" 4 NIL NIL NIL NIL)"
                + " \"mixed\" (\"boundary\" \"b2\") NIL NIL NIL) 12 NIL (\"attachment\" NIL) NIL NIL)",
                ImapFormat.bodyStructure(attached));
    }

    @Test
    void singlePartEmbeddedMessageIsNumberedDotOne() {
        byte[] raw = Msg.crlf("""
                Content-Type: multipart/mixed; boundary=x

                --x
                Content-Type: message/rfc822

                Subject: fwd

                forwarded body
                --x--
                """);
        MessageSummary m = Msg.parse(raw);
        assertEquals("1.1", m.part("1").orElseThrow().message().section());
        assertEquals("forwarded body", Msg.range(raw, Sections.range(m, "1.1", Sections.Kind.ALL).orElseThrow()));
        assertEquals("forwarded body", Msg.range(raw, Sections.range(m, "1", Sections.Kind.TEXT).orElseThrow()));
        assertEquals("Subject: fwd\r\n\r\n", Msg.range(raw, Sections.range(m, "1", Sections.Kind.HEADER).orElseThrow()));
    }

    @Test
    void encodedWordsStayRawAndEightBitBecomesLiteral() {
        byte[] raw = Msg.crlf("""
                From: =?UTF-8?Q?Andr=C3=A9?= <andre@example.fr>
                Subject: =?UTF-8?B?SGVsbG8gd29ybGQ=?=
                To: Zoë <zoe@example.fr>

                x
                """);
        MessageSummary m = Msg.parse(raw);
        assertEquals("=?UTF-8?B?SGVsbG8gd29ybGQ=?=", m.envelope().subject());
        assertEquals(new Address("=?UTF-8?Q?Andr=C3=A9?=", null, "andre", "example.fr"), m.envelope().from().get(0));
        String env = ImapFormat.envelope(m.envelope());
        assertTrue(env.startsWith("(NIL \"=?UTF-8?B?SGVsbG8gd29ybGQ=?=\" ((\"=?UTF-8?Q?Andr=C3=A9?=\" NIL \"andre\" \"example.fr\"))"));
        assertTrue(ImapFormat.envelope(m.envelope()).contains("(({4}\r\nZoë NIL \"zoe\" \"example.fr\"))"));
    }

    @Test
    void groupSyntaxAndMissingFrom() {
        byte[] raw = Msg.crlf("""
                To: undisclosed-recipients:;
                Cc: Team: a@x.org, "Smith, J" <j@y.org>;, solo@z.org
                Bcc: <@route1,@route2:r@w.org>
                Subject: groups

                body
                """);
        MessageSummary m = Msg.parse(raw);
        Envelope e = m.envelope();
        assertEquals(List.of(), e.from());
        assertEquals(List.of(), e.sender());
        assertEquals(List.of(), e.replyTo());
        assertEquals(List.of(Address.groupStart("undisclosed-recipients"), Address.groupEnd()), e.to());
        assertEquals("(NIL \"groups\" NIL NIL NIL ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL))"
                + " ((NIL NIL \"Team\" NIL)(NIL NIL \"a\" \"x.org\")(\"Smith, J\" NIL \"j\" \"y.org\")(NIL NIL NIL NIL)"
                + "(NIL NIL \"solo\" \"z.org\")) ((NIL \"@route1,@route2\" \"r\" \"w.org\")) NIL NIL)",
                ImapFormat.envelope(e));
    }

    @Test
    void brokenAddressesAreFilledLikeDovecot() {
        assertEquals(List.of(new Address(null, null, "justaname", AddressParser.MISSING_DOMAIN)),
                AddressParser.parse("justaname"));
        assertEquals(List.of(new Address("Real Name", null, "user", "example.org")),
                AddressParser.parse("user@example.org (Real Name)"));
        assertEquals(List.of(new Address("John Q. Public", null, "jqp", "example.org"),
                new Address(null, null, AddressParser.MISSING_MAILBOX, AddressParser.MISSING_DOMAIN)),
                AddressParser.parse("John Q. Public <jqp@example.org>, <>"));
    }

    static List<String> sections(BodyPart p) {
        List<String> out = new java.util.ArrayList<>();
        for (BodyPart c : p.parts()) {
            out.add(c.section());
            out.addAll(sections(c));
        }
        if (p.message() != null) {
            out.add(p.message().section());
            out.addAll(sections(p.message()));
        }
        return out;
    }

    @Test
    void missingHeaderFieldsAreNil() {
        MessageSummary m = Msg.parse(Msg.crlf("\nonly body\n"));
        assertNull(m.envelope().subject());
        assertEquals("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", ImapFormat.envelope(m.envelope()));
        assertEquals(2, m.headerEnd());
        assertEquals(11, m.body().size());
    }
}
