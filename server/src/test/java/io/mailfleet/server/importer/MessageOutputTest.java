package io.mailfleet.server.importer;

import io.mailfleet.core.mime.HeaderLimits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the importer stores is exactly the source with CRLF line ends, whatever the message's size and
 * however the source hands the bytes over: the held copy, the size and the SHA-256 agree with the
 * expected bytes for messages smaller and many times larger than the internal buffer, written in odd
 * chunks with CR and LF split across writes.
 */
class MessageOutputTest {

    private static final HeaderLimits LIMITS = new HeaderLimits(100 * 1024, 998);

    @Test
    void heldBytesSizeAndHashAreTheCrlfMessageForAnySizeAndChunking() throws Exception {
        for (int size : new int[] {100, 8 * 1024 - 1, 8 * 1024 + 1, 20 * 1024, 70 * 1024, 300 * 1024}) {
            byte[] source = message(size, new Random(size));
            byte[] expected = crlf(source);
            for (int chunk : new int[] {1, 7, 8192, 65536, source.length}) {
                MessageOutput out = MessageOutput.holding(50L * 1024 * 1024, LIMITS, 1024 * 1024);
                for (int i = 0; i < source.length; i += chunk) {
                    out.write(source, i, Math.min(chunk, source.length - i));
                }
                MessageOutput.Seen seen = out.finish();
                String what = size + " bytes in chunks of " + chunk;
                assertEquals(expected.length, seen.size(), what);
                assertEquals(sha256(expected), seen.sha256(), what);
                assertArrayEquals(expected, Arrays.copyOf(out.held(), (int) seen.size()), what);
                assertTrue(seen.startsWithField(), what);
                assertFalse(seen.headerTooLarge(), what);
            }
        }
    }

    @Test
    void aLargeMessageStreamedToABlobArrivesWhole() throws Exception {
        byte[] source = message(3 * 1024 * 1024 + 17, new Random(3));
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        MessageOutput out = new MessageOutput(50L * 1024 * 1024, LIMITS, new CollectingWriter(blob));
        for (int i = 0; i < source.length; i += 8191) {
            out.write(source, i, Math.min(8191, source.length - i));
        }
        MessageOutput.Seen seen = out.finish();
        assertArrayEquals(crlf(source), blob.toByteArray());
        assertEquals(sha256(blob.toByteArray()), seen.sha256());
        assertNull(out.held(), "a streamed message is never held");
    }

    /** Where a streamed copy goes in place of a blob: the bytes as written, in order. */
    private record CollectingWriter(ByteArrayOutputStream into) implements io.mailfleet.core.blob.BlobWriter {
        @Override
        public void write(java.nio.ByteBuffer bytes) {
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            into.writeBytes(b);
        }

        @Override
        public long size() {
            return into.size();
        }

        @Override
        public java.util.concurrent.CompletionStage<io.mailfleet.core.blob.BlobRef> commit() {
            throw new UnsupportedOperationException("not committed here");
        }

        @Override
        public void abort() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aMessageAboveTheHoldLimitIsNotHeldAndOneAboveTheSizeLimitStops() throws Exception {
        byte[] source = message(200 * 1024, new Random(1));
        MessageOutput out = MessageOutput.holding(50L * 1024 * 1024, LIMITS, 64 * 1024);
        out.write(source, 0, source.length);
        MessageOutput.Seen seen = out.finish();
        assertNull(out.held());
        assertEquals(sha256(crlf(source)), seen.sha256());
        MessageOutput small = MessageOutput.holding(1000, LIMITS, 64 * 1024);
        assertThrows(MessageOutput.TooLarge.class, () -> small.write(source, 0, source.length));
    }

    /** A header and body lines of random length with bare LF ends, a few already CRLF. */
    private static byte[] message(int size, Random random) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("From: a@example.org\nSubject: sizes\n\n".getBytes(StandardCharsets.US_ASCII));
        while (b.size() < size) {
            int n = random.nextInt(90);
            for (int i = 0; i < n; i++) {
                b.write('a' + random.nextInt(26));
            }
            b.writeBytes(random.nextInt(10) == 0 ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
        }
        return b.toByteArray();
    }

    private static byte[] crlf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
