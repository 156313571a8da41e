package io.mailfleet.core.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Malformed MIME never throws and falls back the way Dovecot does. */
class MalformedMimeTest {

    @Test
    void unterminatedMultipartEndsAtEndOfMessage() {
        byte[] raw = Msg.crlf("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain

                part1
                --b

                part2 never closed
                """);
        MessageSummary m = Msg.parse(raw);
        assertEquals("((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 5 0)"
                + "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 20 1) \"mixed\")", ImapFormat.body(m.body()));
        assertEquals("part2 never closed\r\n", Msg.range(raw, Sections.range(m, "2", Sections.Kind.ALL).orElseThrow()));
        assertEquals(raw.length, m.body().bodyEnd());
    }

    @Test
    void boundaryThatNeverAppearsGivesDovecotsEmptyPart() {
        MessageSummary m = Msg.parse(Msg.crlf("""
                Content-Type: multipart/mixed; boundary=zzz

                just text
                """));
        assertEquals("((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)"
                + " \"mixed\" (\"boundary\" \"zzz\") NIL NIL NIL)", ImapFormat.bodyStructure(m.body()));
        assertEquals(11, m.body().size());
    }

    @Test
    void brokenContentTypesFallBackToTextPlain() {
        for (String ct : new String[] {"text", ";;;", "multipart/mixed", "multipart/mixed; boundary=\"\"",
                "te xt/pl ain; charset=utf-8", "/plain", "text/"}) {
            MessageSummary m = Msg.parse(Msg.crlf("Content-Type: " + ct + "\n\nbody\n"));
            assertEquals("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 6 1)",
                    ImapFormat.body(m.body()), ct);
        }
    }

    @Test
    void encodedMessageRfc822IsNotParsedAsAMessage() {
        MessageSummary m = Msg.parse(Msg.crlf("""
                Content-Type: message/rfc822
                Content-Transfer-Encoding: base64

                U3ViamVjdDogeAoKeQo=
                """));
        assertEquals("(\"application\" \"octet-stream\" NIL NIL NIL \"base64\" 22)", ImapFormat.body(m.body()));
    }

    @Test
    void headerLinesWithoutColonAndEightBitJunkAreSkipped() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("From someone Mon Jan 1\r\n: no name\r\n continuation without field\r\nSubject: ok\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {'X', '-', (byte) 0xff, ':', ' ', (byte) 0xfe, '\r', '\n'});
        b.writeBytes("From: \u00ff\u00fe <x@y>\r\n\r\nbody\r\n".getBytes(StandardCharsets.ISO_8859_1));
        MessageSummary m = Msg.parse(b.toByteArray());
        assertEquals("ok", m.envelope().subject());
        String env = ImapFormat.envelope(m.envelope());
        assertTrue(env.contains("(({6}\r\n\ufffd\ufffd NIL \"x\" \"y\"))"), env);
        assertEquals("body\r\n", Msg.range(b.toByteArray(), Sections.range(m, "", Sections.Kind.TEXT).orElseThrow()));
    }

    @Test
    void headerWithoutBlankLineHasAnEmptyBody() {
        byte[] raw = "Subject: cut".getBytes(StandardCharsets.US_ASCII);
        MessageSummary m = Msg.parse(raw);
        assertEquals("cut", m.envelope().subject());
        assertEquals(raw.length, m.headerEnd());
        assertEquals(0, m.body().size());
        assertEquals(0, Msg.parse(new byte[0]).size());
    }

    @Test
    void partHeaderCutByBoundary() {
        byte[] raw = Msg.crlf("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/html
                --b
                Content-Type: text/plain

                ok
                --b--
                """);
        MessageSummary m = Msg.parse(raw);
        assertEquals("((\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)"
                + "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 2 0) \"mixed\")", ImapFormat.body(m.body()));
        assertEquals("ok", Msg.range(raw, Sections.range(m, "2", Sections.Kind.ALL).orElseThrow()));
    }

    @Test
    void partOpenedAndCutAtOnceByTheOuterBoundaryStaysInsideItsParent() {
        byte[] raw = Msg.crlf("""
                Content-Type: multipart/mixed; boundary=outer

                --outer
                Content-Type: multipart/mixed; boundary=inner

                --inner

                a
                --inner
                --outer--
                """);
        MessageSummary m = Msg.parse(raw);
        BodyPart inner = m.part("1").orElseThrow();
        assertEquals(2, inner.parts().size());
        checkOffsets(m.body(), 0, raw.length);
        assertEquals("--inner\r\n\r\na\r\n--inner\r\n", Msg.range(raw, Sections.range(m, "1", Sections.Kind.ALL).orElseThrow()));
        assertEquals(0, m.part("1.2").orElseThrow().size());
    }

    @Test
    void nestingAndPartCountAreBounded() {
        StringBuilder deep = new StringBuilder();
        for (int k = 0; k < 80; k++) {
            deep.append("Content-Type: multipart/mixed; boundary=d").append(k).append("\n\n--d").append(k).append('\n');
        }
        deep.append("Content-Type: text/plain\n\nleaf\n");
        MessageSummary m = Msg.parse(Msg.crlf(deep.toString()));
        // MAX_DEPTH levels of containers, then the deepest multipart is demoted to a text leaf
        assertEquals(MessageParser.MAX_DEPTH + 1, depth(m.body()));

        StringBuilder wide = new StringBuilder("Content-Type: multipart/mixed; boundary=w\n\n");
        for (int k = 0; k < MessageParser.MAX_PARTS + 50; k++) {
            wide.append("--w\n\n").append(k).append('\n');
        }
        wide.append("--w--\n");
        byte[] raw = Msg.crlf(wide.toString());
        MessageSummary w = Msg.parse(raw);
        assertEquals(MessageParser.MAX_PARTS - 1, w.body().parts().size());
        assertEquals(raw.length, w.body().bodyEnd());
    }

    private static int depth(BodyPart p) {
        int d = 0;
        for (BodyPart c : p.parts()) {
            d = Math.max(d, depth(c));
        }
        return d + 1;
    }

    @Test
    void randomlyDamagedMessagesNeverThrowAndKeepOffsetsInBounds() {
        byte[] base = Msg.crlf(MessageParserTest.MIXED);
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] raw = base.clone();
            int edits = 1 + random.nextInt(8);
            for (int e = 0; e < edits; e++) {
                raw[random.nextInt(raw.length)] = (byte) "\r\n-:;\"=<>@ \t\u00ffab".charAt(random.nextInt(15));
            }
            int cut = random.nextInt(4) == 0 ? random.nextInt(raw.length) : raw.length;
            byte[] damaged = java.util.Arrays.copyOf(raw, cut);
            MessageSummary m = Msg.parse(damaged);
            assertEquals(damaged.length, m.size());
            checkOffsets(m.body(), 0, damaged.length);
            ImapFormat.bodyStructure(m.body());
            ImapFormat.envelope(m.envelope());
        }
    }

    static void checkOffsets(BodyPart p, long min, long max) {
        assertTrue(min <= p.headerStart() && p.headerStart() <= p.bodyStart() && p.bodyStart() <= p.bodyEnd()
                && p.bodyEnd() <= max, p.toString());
        assertEquals(p.bodyEnd() - p.bodyStart(), p.size());
        for (BodyPart c : p.parts()) {
            checkOffsets(c, p.bodyStart(), p.bodyEnd());
        }
        if (p.message() != null) {
            checkOffsets(p.message(), p.bodyStart(), p.bodyEnd());
        }
    }
}
