package io.mailfleet.core.dkim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6376 §3.4.5 examples and edge cases of §3.4.3/§3.4.4. */
class CanonicalizationTest {
    private static final String EXAMPLE = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";

    private static String headers(Canonicalization c, String message) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (HeaderField f : HeaderSection.read(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)))) {
            sb.append(c.header(f));
        }
        return sb.toString();
    }

    private static byte[] bodyHash(Canonicalization c, String body) {
        Canonicalization.BodyHasher h = c.bodyHasher(DkimSigner.sha256());
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        h.update(b, 0, b.length);
        return h.finish();
    }

    private static byte[] sha(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void rfc6376RelaxedExample() throws Exception {
        assertEquals("a:X\r\nb:Y Z\r\n", headers(Canonicalization.RELAXED, EXAMPLE));
        assertArrayEquals(sha(" C\r\nD E\r\n"), bodyHash(Canonicalization.RELAXED, " C \r\nD \t E\r\n\r\n\r\n"));
    }

    @Test
    void rfc6376SimpleExample() throws Exception {
        assertEquals("A: X\r\nB : Y\t\r\n\tZ  \r\n", headers(Canonicalization.SIMPLE, EXAMPLE));
        assertArrayEquals(sha(" C \r\nD \t E\r\n"), bodyHash(Canonicalization.SIMPLE, " C \r\nD \t E\r\n\r\n\r\n"));
    }

    @Test
    void emptyBodiesAndMissingFinalCrlf() throws Exception {
        assertArrayEquals(sha(""), bodyHash(Canonicalization.RELAXED, ""));
        assertArrayEquals(sha(""), bodyHash(Canonicalization.RELAXED, "\r\n \r\n\t\r\n"));
        assertArrayEquals(sha("\r\n"), bodyHash(Canonicalization.SIMPLE, ""));
        assertArrayEquals(sha("\r\n"), bodyHash(Canonicalization.SIMPLE, "\r\n\r\n"));
        assertArrayEquals(sha("abc\r\n"), bodyHash(Canonicalization.RELAXED, "abc"));
        assertArrayEquals(sha("a b\r\n\r\nc\r\n"), bodyHash(Canonicalization.RELAXED, "a  b  \n\nc\n\n"));
        assertArrayEquals(sha("x\rb\r\n"), bodyHash(Canonicalization.SIMPLE, "x\rb"));
    }

    @Test
    void bodyHashDoesNotDependOnChunking() {
        String body = "line one  \r\n\r\n\tindented\t \r\nlast";
        Canonicalization.BodyHasher h = Canonicalization.RELAXED.bodyHasher(DkimSigner.sha256());
        for (byte b : body.getBytes(StandardCharsets.ISO_8859_1)) {
            h.update(new byte[] {b}, 0, 1);
        }
        assertArrayEquals(bodyHash(Canonicalization.RELAXED, body), h.finish());
    }

    @Test
    void headerSectionStopsAtTheBlankLine() throws Exception {
        InputStream in = new ByteArrayInputStream("Subject: a\r\n b\r\nTo: x\r\n\r\nBody: no\r\n".getBytes(StandardCharsets.US_ASCII));
        List<HeaderField> fields = HeaderSection.read(in);
        assertEquals(2, fields.size());
        assertEquals("Subject: a\r\n b", fields.get(0).raw());
        assertEquals("Body: no\r\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }
}
