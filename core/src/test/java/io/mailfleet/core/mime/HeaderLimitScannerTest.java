package io.mailfleet.core.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderLimitScannerTest {

    private static final HeaderLimits LIMITS = new HeaderLimits(2048, 998);

    private static HeaderLimitScanner scanInChunks(String message, int chunk) {
        byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
        HeaderLimitScanner s = new HeaderLimitScanner(LIMITS);
        for (int i = 0; i < b.length; i += chunk) {
            s.feed(b, i, Math.min(chunk, b.length - i));
        }
        return s;
    }

    @Test
    void aNormalHeaderPassesAndTheBodyIsNotCounted() {
        String msg = "From: a@x.org\r\nSubject: hi\r\n\r\n" + "b".repeat(5000) + "\r\n";
        for (int chunk : new int[] {1, 3, 7, 4096}) {
            HeaderLimitScanner s = scanInChunks(msg, chunk);
            assertFalse(s.exceeded(), "chunk " + chunk);
            assertTrue(s.done());
            assertEquals("From: a@x.org\r\nSubject: hi\r\n".length(), s.headerBytes());
        }
    }

    @Test
    void aLineOf998OctetsPassesAnd999IsOverTheLimit() {
        String ok = "X-A: " + "a".repeat(993) + "\r\n\r\nbody";
        assertFalse(scanInChunks(ok, 1).exceeded());
        assertFalse(scanInChunks(ok, 100).exceeded());
        String bad = "X-A: " + "a".repeat(994) + "\r\n\r\nbody";
        assertTrue(scanInChunks(bad, 1).exceeded());
        assertTrue(scanInChunks(bad, 100).exceeded());
        // bare LF line ends count the same way
        assertTrue(scanInChunks("X-A: " + "a".repeat(994) + "\n\nbody", 5).exceeded());
        assertFalse(scanInChunks("X-A: " + "a".repeat(993) + "\n\nbody", 5).exceeded());
    }

    @Test
    void aLineWithoutEndIsCaughtWhileItStreams() {
        HeaderLimitScanner s = new HeaderLimitScanner(LIMITS);
        byte[] chunk = "a".repeat(600).getBytes(StandardCharsets.US_ASCII);
        s.feed(chunk, 0, chunk.length);
        assertFalse(s.exceeded());
        s.feed(chunk, 0, chunk.length);
        assertTrue(s.exceeded(), "a 20 MiB line is refused after its first 999 octets, not at its end");
    }

    @Test
    void foldedLinesCountTowardsTheTotal() {
        StringBuilder folded = new StringBuilder("X-Big: start\r\n");
        while (folded.length() <= 2048) {
            folded.append(" continuation of the same field\r\n");
        }
        assertTrue(scanInChunks(folded + "\r\nbody", 64).exceeded());
        StringBuilder many = new StringBuilder();
        while (many.length() <= 2048) {
            many.append("X-A: b\r\n");
        }
        assertTrue(scanInChunks(many + "\r\nbody", 64).exceeded());
    }

    @Test
    void exactlyAtTheSizeLimitPasses() {
        String line = "X-A: " + "a".repeat(97) + "\r\n"; // 104 octets
        String header = line.repeat(19) + "X-B: " + "b".repeat(2048 - 19 * 104 - 7) + "\r\n";
        assertEquals(2048, header.length());
        assertFalse(scanInChunks(header + "\r\nbody", 13).exceeded());
        assertTrue(scanInChunks("X" + header + "\r\nbody", 13).exceeded());
    }

    @Test
    void aMessageWithoutEmptyLineIsAllHeader() {
        assertTrue(scanInChunks("no header here\r\n".repeat(200), 50).exceeded());
    }

    @Test
    void byteBufferFeedDoesNotMoveThePosition() {
        ByteBuffer buf = ByteBuffer.wrap("Subject: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        HeaderLimitScanner s = new HeaderLimitScanner(LIMITS);
        s.feed(buf);
        assertEquals(0, buf.position());
        assertTrue(s.done());
        assertFalse(s.exceeded());
    }

    @Test
    void limitsOutsideTheirRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HeaderLimits(100, 998));
        assertThrows(IllegalArgumentException.class, () -> new HeaderLimits(102400, 999));
    }
}
