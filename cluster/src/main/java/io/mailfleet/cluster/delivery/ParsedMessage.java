package io.mailfleet.cluster.delivery;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.MessageSummary;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A stored message parsed once, at the start of its delivery, by the server's one MIME parser
 * ({@link MessageParser}): the structure every later stage reads (inbound checks, Sieve, the mailbox's
 * IMAP metadata) instead of parsing the bytes again. Carries the header block when it was small
 * enough to keep from the parse.
 *
 * @param header the header block including its blank line, or null when it was too big to keep
 */
public record ParsedMessage(BlobRef blob, MessageSummary summary, byte[] header) {

    /** Header blocks up to this size are kept from the parse; bigger ones are read again when asked for. */
    static final int KEPT_HEADER_BYTES = 64 * 1024;

    /** Reads and parses {@code blob} in one pass (blocking: blob reads). */
    public static ParsedMessage parse(BlobStore blobs, BlobRef blob) throws IOException {
        try (InputStream raw = blobs.open(blob); Head head = new Head(raw)) {
            MessageSummary summary = MessageParser.parse(head);
            long end = summary.headerEnd();
            byte[] header = end <= head.size ? Arrays.copyOf(head.buf, (int) end) : null;
            return new ParsedMessage(blob, summary, header);
        }
    }

    /**
     * The header block including its blank line, at most {@code max} octets of it (read from the blob
     * when it was not kept).
     */
    public byte[] headerBytes(BlobStore blobs, int max) throws IOException {
        long length = Math.min(summary.headerEnd(), max);
        if (header != null) {
            return header.length <= length ? header : Arrays.copyOf(header, (int) length);
        }
        try (InputStream in = blobs.open(blob)) {
            return in.readNBytes((int) length);
        }
    }

    /** Copies the first {@link #KEPT_HEADER_BYTES} octets that pass through. */
    private static final class Head extends FilterInputStream {
        final byte[] buf = new byte[KEPT_HEADER_BYTES];
        int size;

        Head(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0 && size < buf.length) {
                buf[size++] = (byte) c;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && size < buf.length) {
                int k = Math.min(n, buf.length - size);
                System.arraycopy(b, off, buf, size, k);
                size += k;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // keep the copy contiguous: skipping is reading into nowhere
            long done = 0;
            byte[] sink = new byte[8192];
            while (done < n) {
                int r = read(sink, 0, (int) Math.min(sink.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }
    }
}
