package io.mailfleet.cluster.delivery.sieve;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.sieve.MimeSieveMessage;
import io.mailfleet.core.sieve.SieveMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A {@link SieveMessage} over a stored blob that never loads a big message whole: the header block is
 * read once (bounded), the body only when a {@code body} test asks for it, and then at most
 * {@code maxBodyBytes} of it (a body test on a 50 MB message sees its first megabytes, as Pigeonhole's
 * body extension limits itself).
 */
final class BlobSieveMessage implements SieveMessage {
    static final int MAX_HEADER_BYTES = 1 << 20;
    static final int MAX_BODY_BYTES = 4 << 20;

    private final BlobStore blobs;
    private final BlobRef blob;
    private final String from;
    private final String to;
    private final String originalTo;
    private final ZonedDateTime received;
    private final MimeSieveMessage head;
    private final int headerLength;
    private MimeSieveMessage whole;

    BlobSieveMessage(BlobStore blobs, BlobRef blob, String from, String to, String originalTo, ZonedDateTime received)
            throws IOException {
        this.blobs = blobs;
        this.blob = blob;
        this.from = from;
        this.to = to;
        this.originalTo = originalTo;
        this.received = received;
        byte[] header = readHeader(blobs, blob);
        this.headerLength = header.length;
        this.head = new MimeSieveMessage(header, from, to, originalTo, received);
    }

    /** Octets of the header block including the empty line that ends it (all of it when there is no body). */
    int headerLength() {
        return headerLength;
    }

    /** Reads up to and including the blank line ending the header block, at most {@link #MAX_HEADER_BYTES}. */
    static byte[] readHeader(BlobStore blobs, BlobRef blob) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (InputStream in = new java.io.BufferedInputStream(blobs.open(blob), 65536)) {
            int prev = -1;
            int prev2 = -1;
            int c;
            while ((c = in.read()) != -1 && out.size() < MAX_HEADER_BYTES) {
                out.write(c);
                // LF LF or LF CR LF ends the header block
                if (c == '\n' && (prev == '\n' || (prev == '\r' && prev2 == '\n'))) {
                    break;
                }
                prev2 = prev;
                prev = c;
            }
        }
        return out.toByteArray();
    }

    @Override
    public String envelopeFrom() {
        return from == null ? "" : from;
    }

    @Override
    public String envelopeTo() {
        return to;
    }

    @Override
    public String originalEnvelopeTo() {
        return originalTo == null ? to : originalTo;
    }

    @Override
    public List<Header> headers() {
        return head.headers();
    }

    @Override
    public long size() {
        return blob.size();
    }

    @Override
    public List<Part> parts() {
        return whole().parts();
    }

    @Override
    public String rawBody() {
        return whole().rawBody();
    }

    @Override
    public ZonedDateTime received() {
        return received;
    }

    private synchronized MimeSieveMessage whole() {
        if (whole == null) {
            long limit = Math.min(blob.size(), (long) headerLength + MAX_BODY_BYTES);
            try (InputStream in = blobs.open(blob)) {
                whole = new MimeSieveMessage(in.readNBytes((int) limit), from, to, originalTo, received);
            } catch (IOException e) {
                throw new UncheckedIOException("message body unreadable: " + e.getMessage(), e);
            }
        }
        return whole;
    }
}
