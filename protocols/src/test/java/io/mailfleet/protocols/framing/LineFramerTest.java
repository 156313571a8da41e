package io.mailfleet.protocols.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineFramerTest {

    private final LineFramer framer = new LineFramer(PooledByteBufAllocator.DEFAULT);

    @AfterEach
    void free() {
        framer.release();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static ByteBuf bytes(byte[] b, int from, int to) {
        return Unpooled.copiedBuffer(b, from, to - from);
    }

    /** What the session sees: line texts, "CRLF:"/"LF:" marked, and "TOO_LONG". */
    private List<String> drainLines(int max) {
        List<String> out = new ArrayList<>();
        LineFramer.Line l;
        while ((l = framer.readLine(max)) != null) {
            out.add(l.tooLong() ? "TOO_LONG" : (l.crlf() ? "CRLF:" : "LF:") + l.text());
        }
        framer.compact();
        return out;
    }

    /** Feeds {@code input} split at {@code cut} and collects every line. */
    private List<String> linesSplitAt(byte[] input, int cut, int max) {
        List<String> out = new ArrayList<>();
        framer.add(bytes(input, 0, cut));
        out.addAll(drainLines(max));
        framer.add(bytes(input, cut, input.length));
        out.addAll(drainLines(max));
        return out;
    }

    @Test
    void finishDiscardingDropsTheRestOfALongLineSoTheNextLineStartsTheBuffer() {
        framer.add(bytes("x".repeat(50)));
        assertEquals(List.of("TOO_LONG"), drainLines(10));
        framer.add(bytes("yyyy"));
        assertFalse(framer.finishDiscarding(), "the long line is still arriving");
        framer.add(bytes("zz\r\nAUTH PLAIN abc\r\n"));
        assertTrue(framer.finishDiscarding());
        assertTrue(framer.startsWithIgnoreCase("AUTH "), "the next line's verb is visible");
        assertEquals(List.of("CRLF:AUTH PLAIN abc"), drainLines(100));
        assertTrue(framer.finishDiscarding(), "nothing to drop");
    }

    @Test
    void pipelinedCommandsInOneBufferComeOutInOrderWithTheirLineEnding() {
        framer.add(bytes("EHLO a\r\nMAIL FROM:<x@y>\r\nNOOP\nRCPT TO:<z@y>\r\nQU"));
        assertEquals(List.of("CRLF:EHLO a", "CRLF:MAIL FROM:<x@y>", "LF:NOOP", "CRLF:RCPT TO:<z@y>"), drainLines(100));
        assertEquals(2, framer.readableBytes());
        framer.add(bytes("IT\r\n"));
        assertEquals(List.of("CRLF:QUIT"), drainLines(100));
        assertFalse(framer.isReadable());
    }

    @Test
    void everySplitOfPipelinedCrlfAndBareLfLinesGivesTheSameLines() {
        byte[] input = "a001 LOGIN u p\r\nb\n\r\n\nc\r\r\nd\u00e9j\u00e0\r\n".getBytes(StandardCharsets.UTF_8);
        List<String> whole = List.of("CRLF:a001 LOGIN u p", "LF:b", "CRLF:", "LF:", "CRLF:c\r", "CRLF:d\u00e9j\u00e0");
        for (int cut = 0; cut <= input.length; cut++) {
            LineFramer f = new LineFramer(PooledByteBufAllocator.DEFAULT);
            try {
                List<String> out = new ArrayList<>();
                f.add(bytes(input, 0, cut));
                collect(f, out);
                f.add(bytes(input, cut, input.length));
                collect(f, out);
                assertEquals(whole, out, "split at " + cut);
            } finally {
                f.release();
            }
        }
    }

    @Test
    void everyByteOnItsOwnGivesTheSameLines() {
        byte[] input = "1 NOOP\r\n2 CAPABILITY\n3 LOGOUT\r\n".getBytes(StandardCharsets.US_ASCII);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < input.length; i++) {
            framer.add(bytes(input, i, i + 1));
            out.addAll(drainLines(64));
        }
        assertEquals(List.of("CRLF:1 NOOP", "LF:2 CAPABILITY", "CRLF:3 LOGOUT"), out);
    }

    private static void collect(LineFramer f, List<String> out) {
        LineFramer.Line l;
        while ((l = f.readLine(100)) != null) {
            out.add(l.tooLong() ? "TOO_LONG" : (l.crlf() ? "CRLF:" : "LF:") + l.text());
        }
        f.compact();
    }

    @Test
    void aLineKnowsItsLengthOnTheWire() {
        framer.add(bytes("d\u00e9j\u00e0\r\nx\n"));
        LineFramer.Line l = framer.readLine(100);
        assertEquals("d\u00e9j\u00e0", l.text());
        assertEquals(6, l.octets(), "UTF-8 octets, without CRLF");
        assertEquals(1, framer.readLine(100).octets());
    }

    @Test
    void theLimitCountsTheOctetsBeforeTheLfWithTheCr() {
        framer.add(bytes("1234567\r\n12345678\r\n12345678\n123456789\n"));
        assertEquals(List.of("CRLF:1234567", "TOO_LONG", "LF:12345678", "TOO_LONG"), drainLines(8));
    }

    @Test
    void anOverlongLineIsReportedOnceAtEverySplitAndTheNextLineSurvives() {
        byte[] input = ("x".repeat(40) + "\r\nNEXT\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int cut = 0; cut <= input.length; cut++) {
            LineFramer f = new LineFramer(PooledByteBufAllocator.DEFAULT);
            try {
                List<String> out = new ArrayList<>();
                f.add(bytes(input, 0, cut));
                collect(f, out, 16);
                f.add(bytes(input, cut, input.length));
                collect(f, out, 16);
                assertEquals(List.of("TOO_LONG", "CRLF:NEXT"), out, "split at " + cut);
            } finally {
                f.release();
            }
        }
    }

    private static void collect(LineFramer f, List<String> out, int max) {
        LineFramer.Line l;
        while ((l = f.readLine(max)) != null) {
            out.add(l.tooLong() ? "TOO_LONG" : (l.crlf() ? "CRLF:" : "LF:") + l.text());
        }
        f.compact();
    }

    @Test
    void anEndlessLineIsReportedAsSoonAsItIsCertainlyTooLongAndKeepsNoMemory() {
        framer.add(bytes("y".repeat(16)));
        assertNull(framer.readLine(16), "16 octets without LF may still be a 16-octet line");
        framer.add(bytes("y"));
        assertSame(LineFramer.Line.TOO_LONG, framer.readLine(16));
        for (int i = 0; i < 1000; i++) {
            framer.add(bytes("z".repeat(1000)));
            assertNull(framer.readLine(16), "reported once only");
            assertEquals(0, framer.readableBytes(), "the skipped line is not kept");
        }
        framer.add(bytes("zz\nOK\r\n"));
        assertEquals(List.of("CRLF:OK"), drainLines(16));
    }

    @Test
    void theLimitMayChangeFromOneLineToTheNext() {
        // SMTP: an AUTH line may be longer than a command
        framer.add(bytes("AUTH PLAIN " + "A".repeat(600) + "\r\nMAIL " + "B".repeat(600) + "\r\n"));
        assertTrue(framer.startsWithIgnoreCase("auth "));
        assertFalse(framer.startsWithIgnoreCase("mail "));
        LineFramer.Line auth = framer.readLine(12287);
        assertEquals("AUTH PLAIN " + "A".repeat(600), auth.text());
        assertSame(LineFramer.Line.TOO_LONG, framer.readLine(511));
    }

    @Test
    void aCountedBlockTakesItsBytesWhateverTheyContainAtEverySplit() {
        byte[] input = "A1 APPEND INBOX {12}\r\nab\r\n\r\n.\r\n\n\r\n A2 NOOP\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int cut = 0; cut <= input.length; cut++) {
            LineFramer f = new LineFramer(PooledByteBufAllocator.DEFAULT);
            try {
                List<String> out = new ArrayList<>();
                ByteArrayOutputStream literal = new ByteArrayOutputStream();
                feedCommands(f, bytes(input, 0, cut), out, literal);
                feedCommands(f, bytes(input, cut, input.length), out, literal);
                assertEquals(List.of("A1 APPEND INBOX {12}", "LITERAL:ab\r\n\r\n.\r\n\n\r\n", " A2 NOOP"), out, "split at " + cut);
            } finally {
                f.release();
            }
        }
    }

    /** A miniature IMAP reader: lines, and the literal a line announces. */
    private static void feedCommands(LineFramer f, ByteBuf in, List<String> out, ByteArrayOutputStream literal) {
        f.add(in);
        while (f.isReadable()) {
            if (f.counting()) {
                ByteBuf chunk = f.readCounted();
                byte[] b = new byte[chunk.readableBytes()];
                chunk.readBytes(b);
                literal.writeBytes(b);
                if (!f.counting()) {
                    out.add("LITERAL:" + literal.toString(StandardCharsets.US_ASCII));
                }
                continue;
            }
            LineFramer.Line l = f.readLine(100);
            if (l == null) {
                break;
            }
            out.add(l.text());
            LiteralMarker m = LiteralMarker.find(l.text(), LiteralMarker.Syntax.IMAP);
            if (m != null) {
                f.expect(m.octets());
            }
        }
        f.compact();
    }

    @Test
    void aZeroCountEndsAtOnceAndLinesResume() {
        framer.add(bytes("x\r\n"));
        framer.expect(0);
        assertFalse(framer.counting());
        assertEquals("x", framer.readLine(10).text());
    }

    @Test
    void aHugeCountHandsOutWhatArrivesAndNeverReadsPastIt() {
        framer.expect(Long.MAX_VALUE);
        framer.add(bytes("0123456789"));
        ByteBuf chunk = framer.readCounted();
        assertEquals(10, chunk.readableBytes());
        assertEquals(Long.MAX_VALUE - 10, framer.remaining());
        assertNull(framer.readCounted());
        assertThrows(IllegalStateException.class, () -> framer.readLine(100));
    }

    @Test
    void aCountedBlockStopsExactlyAtItsEnd() {
        framer.expect(3);
        framer.add(bytes("abcdef\r\n"));
        assertEquals("abc", framer.readCounted().toString(StandardCharsets.US_ASCII));
        assertFalse(framer.counting());
        assertEquals(0, framer.remaining());
        assertEquals("def", framer.readLine(10).text());
    }

    @Test
    void rawModeLendsBoundedStretchesAndKeepsWhatTheDecoderLeaves() {
        framer.add(bytes("line one\r\n.\r\nQUIT\r\n"));
        // a decoder that stops after "\r\n.\r\n", as SMTP DATA does
        StringBuilder seen = new StringBuilder();
        boolean ended = false;
        while (!ended) {
            ended = framer.decodeRaw(4, in -> {
                while (in.isReadable()) {
                    seen.append((char) in.readByte());
                    if (seen.toString().endsWith("\r\n.\r\n")) {
                        return true;
                    }
                }
                return false;
            });
        }
        assertEquals("line one\r\n.\r\n", seen.toString());
        assertEquals("QUIT", framer.readLine(10).text());
    }

    @Test
    void clearDropsBufferedInputAndTakeAllHandsItOver() {
        framer.add(bytes("STARTTLS\r\nINJECTED\r\n"));
        assertEquals("STARTTLS", framer.readLine(100).text());
        framer.clear();
        assertNull(framer.readLine(100));
        framer.add(bytes("compressed bytes"));
        ByteBuf all = framer.takeAll();
        try {
            assertEquals("compressed bytes", all.toString(StandardCharsets.US_ASCII));
            assertFalse(framer.isReadable());
        } finally {
            all.release();
        }
    }

    @Test
    void afterReleaseInputIsDroppedNotLeaked() {
        framer.release();
        ByteBuf late = bytes("late");
        framer.add(late);
        assertEquals(0, late.refCnt());
        assertFalse(framer.isReadable());
        assertNull(framer.readLine(10));
    }

    @Test
    void aLongLineArrivingInPiecesIsAssembledOnce() {
        byte[] line = ("a".repeat(5000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < line.length; i += 7) {
            framer.add(bytes(line, i, Math.min(line.length, i + 7)));
            LineFramer.Line l = framer.readLine(8192);
            if (i + 7 < line.length) {
                assertNull(l);
            } else {
                assertArrayEquals(line, (l.text() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
    }
}
