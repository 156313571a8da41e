package io.mailfleet.cluster.delivery.sieve;

import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.sieve.SieveHeaders;
import io.mailfleet.core.sieve.SieveMessage;
import io.mailfleet.core.sieve.SieveParts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * What Sieve sees of a message being delivered, read from the parse done once at the start of its
 * delivery ({@link ParsedMessage}): the header fields from the kept header block, the body parts from
 * the parsed body structure, reading only the stored octets a {@code body} test needs and at most
 * {@link #MAX_BODY_BYTES} of them (a body test on a 50 MB message sees its first megabytes, as
 * Pigeonhole's body extension limits itself).
 */
final class ParsedSieveMessage implements SieveMessage {
    /** A script sees at most this much of a header block (a legacy message may hold megabytes of header). */
    static final int MAX_HEADER_BYTES = 1 << 20;
    static final int MAX_BODY_BYTES = 4 << 20;

    private final BlobStore blobs;
    private final ParsedMessage parsed;
    private final String from;
    private final String to;
    private final String originalTo;
    private final ZonedDateTime received;
    private final List<Header> headers;
    private List<Part> parts;

    ParsedSieveMessage(BlobStore blobs, ParsedMessage parsed, String from, String to, String originalTo,
                       ZonedDateTime received) throws IOException {
        this.blobs = blobs;
        this.parsed = parsed;
        this.from = from;
        this.to = to;
        this.originalTo = originalTo;
        this.received = received;
        this.headers = SieveHeaders.parse(parsed.headerBytes(blobs, MAX_HEADER_BYTES));
    }

    /** Octets of the header block including the empty line that ends it. */
    long headerLength() {
        return parsed.summary().headerEnd();
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
        return headers;
    }

    @Override
    public long size() {
        return parsed.blob().size();
    }

    @Override
    public synchronized List<Part> parts() {
        if (parts == null) {
            try {
                parts = SieveParts.of(parsed.summary(),
                        (start, end) -> blobs.openRange(parsed.blob(), start, end - start), MAX_BODY_BYTES);
            } catch (IOException e) {
                throw new UncheckedIOException("message body unreadable: " + e.getMessage(), e);
            }
        }
        return parts;
    }

    @Override
    public String rawBody() {
        long start = headerLength();
        long length = Math.max(0, Math.min(parsed.blob().size() - start, MAX_BODY_BYTES));
        try (InputStream in = blobs.openRange(parsed.blob(), start, length)) {
            return new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("message body unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public ZonedDateTime received() {
        return received;
    }
}
