package io.mailfleet.core.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 20 MB message streamed from a file: offsets re-read from the file are exact. */
class LargeMessageTest {

    private static final int ATTACHMENTS = 4;
    private static final int LINES_PER_ATTACHMENT = 66_000;

    @Test
    void twentyMegabyteMessageHasExactOffsets(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.eml");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(Msg.crlf("From: big@example.org\nSubject: big\n"
                    + "Content-Type: multipart/mixed; boundary=\"==big==\"\n\npreamble\n"));
            out.write(Msg.crlf("--==big==\nContent-Type: text/plain\n\nsee attachments\n"));
            for (int a = 0; a < ATTACHMENTS; a++) {
                out.write(Msg.crlf("--==big==\nContent-Type: application/octet-stream; name=\"f" + a + ".bin\"\n"
                        + "Content-Transfer-Encoding: base64\n\n"));
                for (int l = 0; l < LINES_PER_ATTACHMENT; l++) {
                    out.write(line(a, l));
                }
            }
            out.write(Msg.crlf("--==big==--\n"));
        }
        long size = Files.size(file);
        assertTrue(size > 20_000_000L, "size " + size);

        MessageSummary m;
        try (InputStream in = Files.newInputStream(file)) {
            m = MessageParser.parse(in);
        }
        assertEquals(size, m.size());
        assertEquals(ATTACHMENTS + 1, m.body().parts().size());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            BodyPart text = m.part("1").orElseThrow();
            assertEquals("see attachments", read(raf, text.bodyStart(), text.bodyEnd()));
            for (int a = 0; a < ATTACHMENTS; a++) {
                BodyPart p = m.part(String.valueOf(a + 2)).orElseThrow();
                assertEquals("f" + a + ".bin", p.param("name").orElseThrow());
                assertTrue(read(raf, p.headerStart(), p.bodyStart()).startsWith("Content-Type: application/octet-stream"));
                assertTrue(read(raf, p.headerStart() - 11, p.headerStart()).equals("--==big==\r\n"));
                assertEquals("\r\n--==big==", read(raf, p.bodyEnd(), p.bodyEnd() + 11));
                // the body is every generated line, the last one without the CRLF the delimiter claims
                long expected = (long) LINES_PER_ATTACHMENT * line(a, 0).length - 2;
                assertEquals(expected, p.size());
                assertEquals(LINES_PER_ATTACHMENT - 1, p.lines());
                byte[] first = new byte[line(a, 0).length];
                raf.seek(p.bodyStart());
                raf.readFully(first);
                assertArrayEquals(line(a, 0), first);
                byte[] last = line(a, LINES_PER_ATTACHMENT - 1);
                assertEquals(new String(last, 0, last.length - 2, StandardCharsets.US_ASCII),
                        read(raf, p.bodyEnd() - (last.length - 2), p.bodyEnd()));
            }
        }
    }

    /** 76 base64-like characters plus CRLF, distinct per attachment and line. */
    private static byte[] line(int attachment, int line) {
        String head = String.format("%02d%08d", attachment, line);
        return (head + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n".substring(0, 68) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static String read(RandomAccessFile raf, long start, long end) throws IOException {
        byte[] b = new byte[(int) (end - start)];
        raf.seek(start);
        raf.readFully(b);
        return new String(b, StandardCharsets.US_ASCII);
    }
}
