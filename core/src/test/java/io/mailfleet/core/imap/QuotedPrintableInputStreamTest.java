package io.mailfleet.core.imap;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Quoted-printable decoding, RFC 2045 §6.7, including rule 3 on trailing white space. */
class QuotedPrintableInputStreamTest {

    private static String decode(String encoded) throws IOException {
        try (InputStream in = ContentDecoding.decode(
                new ByteArrayInputStream(encoded.getBytes(StandardCharsets.ISO_8859_1)), "quoted-printable")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void escapesAndSoftLineBreaks() throws IOException {
        assertEquals("a=b\u00e9c", decode("a=3Db=E9=\r\nc"));
        assertEquals("foobar", decode("foo=\nbar"));
        assertEquals("lower=", decode("lower=3d"));
    }

    @Test
    void whiteSpaceAfterASoftLineBreakIsNotData() throws IOException {
        assertEquals("foobar\r\nend", decode("foo= \t\r\nbar\r\nend"));
        assertEquals("foo", decode("foo=  "));
    }

    @Test
    void trailingWhiteSpaceOfAnEncodedLineIsDropped() throws IOException {
        assertEquals("a\r\nb c\r\n", decode("a \t \r\nb c\r\n"));
        assertEquals("x", decode("x   "));
    }

    @Test
    void malformedEscapesPassThrough() throws IOException {
        assertEquals("=G1 = x", decode("=G1 = x"));
        assertEquals("a", decode("a=")); // a soft line break at the end of the data
    }

    @Test
    void longWhiteSpaceRunsInsideALineAreKept() throws IOException {
        String spaces = " ".repeat(3000);
        assertEquals("a" + spaces + "b", decode("a" + spaces + "b"));
    }
}
