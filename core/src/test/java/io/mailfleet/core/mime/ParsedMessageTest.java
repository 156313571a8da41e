package io.mailfleet.core.mime;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.blob.StoredBlob;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one parse of a stored message, and the same parse moved under header fields prepended to it. */
class ParsedMessageTest {

    private static final String TRACE = "Authentication-Results: mx.example.com;\r\n\tspf=pass smtp.mailfrom=a@b.example;"
            + "\r\n\tdkim=none\r\nX-Spam-Flag: YES\r\nX-Spam-Score: 7\r\n";

    private static final List<String> MESSAGES = List.of(
            "From: a@b.example\r\nSubject: plain\r\n\r\nhello\r\n",
            " leading continuation\r\nFrom: a@b.example\r\n\r\nbody\r\n",
            "\r\nno header at all\r\n",
            "From: a@b.example\r\nSubject: header only\r\n",
            "From: a@b.example\nSubject: bare LF\n\nbody\nline two\n",
            "From: a@b.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n"
                    + "pre\r\n--o\r\nContent-Type: multipart/alternative; boundary=\"i\"\r\n\r\n"
                    + "--i\r\nContent-Type: text/plain\r\n\r\ntext\r\n--i\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n"
                    + "--i--\r\n--o\r\nContent-Type: message/rfc822\r\n\r\nFrom: c@d.example\r\nSubject: inner\r\n\r\n"
                    + "inner body\r\n--o\r\nContent-Type: application/pdf; name=x.pdf\r\n"
                    + "Content-Disposition: attachment; filename=x.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + "QUJD\r\n--o--\r\nepilogue\r\n",
            "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: one\r\n\r\n1\r\n--d\r\n\r\n"
                    + "Subject: two\r\n\r\n2\r\n--d--\r\n",
            "Content-Type: multipart/mixed; boundary=unterminated\r\n\r\n--unterminated\r\n\r\ncut off");

    @Test
    void aPrependedParseIsTheParseOfThePrependedBytes() throws Exception {
        for (String m : MESSAGES) {
            Store store = new Store();
            ParsedMessage once = ParsedMessage.parse(store, store.put(m));
            BlobRef annotated = store.put(TRACE + m);
            ParsedMessage moved = once.prepended(annotated, TRACE).orElseThrow();
            ParsedMessage again = ParsedMessage.parse(store, annotated);
            assertEquals(again.summary(), moved.summary(), m);
            assertEquals(annotated, moved.blob());
            assertArrayEquals(again.header(), moved.header(), m);
        }
    }

    @Test
    void fieldsThatTheParserReadsOrABlankLineAreParsedAgain() throws Exception {
        Store store = new Store();
        String m = MESSAGES.get(0);
        ParsedMessage once = ParsedMessage.parse(store, store.put(m));
        BlobRef other = store.put("x");
        assertTrue(once.prepended(other, "Subject: [SPAM] plain\r\n").isEmpty());
        assertTrue(once.prepended(other, "content-TYPE : text/html\r\n").isEmpty());
        assertTrue(once.prepended(other, "X-A: 1\r\n\r\n").isEmpty());
        assertTrue(once.prepended(other, "X-A: 1\nX-B: 2\r\n").isEmpty());
        assertTrue(once.prepended(other, "\tfolded into nothing\r\n").isEmpty());
        assertTrue(once.prepended(other, "no colon here\r\n").isEmpty());
        assertEquals(once.summary(), once.prepended(other, "").orElseThrow().summary());
    }

    @Test
    void aBigHeaderIsNotKeptButReadAgainWhenAskedFor() throws Exception {
        Store store = new Store();
        String m = "X-Big: " + "a".repeat(ParsedMessage.KEPT_HEADER_BYTES) + "\r\nSubject: s\r\n\r\nbody\r\n";
        ParsedMessage p = ParsedMessage.parse(store, store.put(m));
        assertNull(p.header());
        assertEquals(m.substring(0, 100), new String(p.headerBytes(store, 100), StandardCharsets.US_ASCII));
        ParsedMessage moved = p.prepended(store.put(TRACE + m), TRACE).orElseThrow();
        assertNull(moved.header());
        assertEquals("s", moved.summary().envelope().subject());
    }

    @Test
    void headersAndLinesOfEverySizeUpToTheKeptLimitAreKeptWhole() throws Exception {
        // the parse's buffers start small and grow with what a message needs: across their boundaries the
        // header block is kept byte for byte and a long field is read whole
        int limit = ParsedMessage.KEPT_HEADER_BYTES;
        for (int subject : new int[] {10, 1020, 1030, 4090, 4100, 20_000, limit - 40, limit - 30}) {
            Store store = new Store();
            String header = "From: a@b.example\r\nSubject: " + "s".repeat(subject) + "\r\n\r\n";
            String m = header + "body\r\n".repeat(3000);
            ParsedMessage p = ParsedMessage.parse(store, store.put(m));
            assertEquals("s".repeat(subject), p.summary().envelope().subject(), "subject of " + subject);
            if (header.length() <= limit) {
                assertArrayEquals(header.getBytes(StandardCharsets.US_ASCII), p.header(), "header of " + header.length());
            } else {
                assertNull(p.header(), "header of " + header.length());
            }
            ParsedMessage fromMemory = ParsedMessage.parse(p.blob(), new ByteArrayInputStream(
                    m.getBytes(StandardCharsets.US_ASCII)));
            assertEquals(p.summary(), fromMemory.summary());
            assertArrayEquals(p.header(), fromMemory.header());
        }
    }

    @Test
    void aHostileStructureDoesNotTravelAnOrdinaryOneDoes() throws Exception {
        Store store = new Store();
        assertTrue(ParsedMessage.parse(store, store.put(MESSAGES.get(5))).travels());
        StringBuilder m = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        String param = "; p=" + "v".repeat(200);
        for (int i = 0; i < 5_000; i++) {
            m.append("--b\r\nContent-Type: text/plain").append(param).append("\r\n\r\nx\r\n");
        }
        m.append("--b--\r\n");
        ParsedMessage hostile = ParsedMessage.parse(store, store.put(m.toString()));
        assertEquals(5_000, hostile.summary().body().parts().size());
        assertFalse(hostile.travels());
    }

    @Test
    void deepNestingPastTheParsersLimitMovesAndTravelsLikeAnyOther() throws Exception {
        int depth = MessageParser.MAX_DEPTH + 20;
        StringBuilder m = new StringBuilder("Subject: deep\r\n");
        for (int i = 0; i < depth; i++) {
            m.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i).append("\r\n");
        }
        m.append("Content-Type: text/plain\r\n\r\ninnermost\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            m.append("--b").append(i).append("--\r\n");
        }
        Store store = new Store();
        ParsedMessage once = ParsedMessage.parse(store, store.put(m.toString()));
        BlobRef annotated = store.put(TRACE + m);
        assertEquals(ParsedMessage.parse(store, annotated).summary(), once.prepended(annotated, TRACE).orElseThrow().summary());
        assertTrue(once.travels());
    }

    @Test
    void aFiftyMegabyteMessageIsParsedAsItStreams() throws Exception {
        byte[] header = "From: a@b.example\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                .concat("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "--b--\r\n".getBytes(StandardCharsets.US_ASCII);
        long lines = 50L * 1024 * 1024 / line.length;
        long size = header.length + lines * line.length + tail.length;
        BlobRef ref = new BlobRef("big", size, "");
        // the bytes are made as they are read: the message is never in memory, only the parse's window
        BlobStore generated = new Store() {
            @Override
            public InputStream open(BlobRef r) {
                return new InputStream() {
                    long at;

                    @Override
                    public int read() {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (at >= size) {
                            return -1;
                        }
                        int n = 0;
                        while (n < len && at < size) {
                            long bodyAt = at - header.length;
                            byte c = at < header.length ? header[(int) at]
                                    : bodyAt < lines * line.length ? line[(int) (bodyAt % line.length)]
                                    : tail[(int) (bodyAt - lines * line.length)];
                            b[off + n++] = c;
                            at++;
                        }
                        return n;
                    }
                };
            }
        };
        ParsedMessage p = ParsedMessage.parse(generated, ref);
        assertEquals(size, p.summary().size());
        assertEquals(1, p.summary().body().parts().size());
        assertEquals(lines * line.length - 2, p.summary().body().parts().get(0).size());
        assertEquals("big", p.summary().envelope().subject());
        assertTrue(p.travels());
    }

    @Test
    void everyParseIsCounted() throws Exception {
        Store store = new Store();
        long before = MessageParser.passes();
        ParsedMessage p = ParsedMessage.parse(store, store.put(MESSAGES.get(5)));
        p.prepended(store.put(TRACE + MESSAGES.get(5)), TRACE).orElseThrow();
        assertEquals(1, MessageParser.passes() - before);
    }

    /** Blobs in memory: what the parse reads. */
    private static class Store implements BlobStore {
        private final Map<String, byte[]> blobs = new HashMap<>();

        BlobRef put(String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            BlobRef ref = new BlobRef("b" + blobs.size(), b.length, "");
            blobs.put(ref.id(), b);
            return ref;
        }

        @Override
        public BlobWriter create() {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream open(BlobRef ref) throws IOException {
            byte[] b = blobs.get(ref.id());
            if (b == null) {
                throw new IOException("no blob " + ref.id());
            }
            return new ByteArrayInputStream(b);
        }

        @Override
        public InputStream openRange(BlobRef ref, long offset, long length) throws IOException {
            return new ByteArrayInputStream(blobs.get(ref.id()), (int) offset, (int) length);
        }

        @Override
        public boolean exists(BlobRef ref) {
            return blobs.containsKey(ref.id());
        }

        @Override
        public void delete(BlobRef ref) {
            blobs.remove(ref.id());
        }

        @Override
        public void list(Instant before, Consumer<StoredBlob> sink) {
        }
    }
}
