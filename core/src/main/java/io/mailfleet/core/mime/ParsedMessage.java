package io.mailfleet.core.mime;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A stored message parsed once by the server's one MIME parser ({@link MessageParser}): the structure
 * every later reader uses instead of parsing the bytes again. An SMTP message is parsed at the end of
 * its data, read by the end-of-data checks and handed to the queue with the message; a message from
 * elsewhere (import, sendmail, redirects, reports), or one whose parse was lost with a restart, is
 * parsed at the start of its delivery. Carries the header block when it was small enough to keep.
 *
 * @param blob    the stored message this is the parse of
 * @param summary its structure with byte offsets into {@code blob}
 * @param header  the header block including its blank line, or null when it was too big to keep
 */
public record ParsedMessage(BlobRef blob, MessageSummary summary, byte[] header) {

    /** Header blocks up to this size are kept from the parse; bigger ones are read again when asked for. */
    public static final int KEPT_HEADER_BYTES = 64 * 1024;

    /**
     * A parse estimated bigger than this (a hostile message with thousands of parts and long parameters)
     * does not travel to the queue; the queue parses the message again instead.
     */
    public static final int MAX_TRAVEL_BYTES = 256 * 1024;

    /** Per-part overhead of the estimate: offsets, sizes, record and list headers. */
    private static final int PART_OVERHEAD = 96;

    /** Reads and parses {@code blob} in one streaming pass (blocking: blob reads; memory stays bounded). */
    public static ParsedMessage parse(BlobStore blobs, BlobRef blob) throws IOException {
        try (InputStream raw = blobs.open(blob)) {
            return parse(blob, raw);
        }
    }

    /**
     * Parses {@code blob} from {@code raw}, a stream of exactly its bytes (the writer's copy in memory
     * right after the commit, or the store's); the caller closes it.
     */
    public static ParsedMessage parse(BlobRef blob, InputStream raw) throws IOException {
        Head head = new Head(raw);
        MessageSummary summary = MessageParser.parse(head, blob.size());
        long end = summary.headerEnd();
        byte[] header = end <= head.size ? Arrays.copyOf(head.buf, (int) end) : null;
        return new ParsedMessage(blob, summary, header);
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

    /**
     * The parse of {@code stored}, which holds {@code fields} (complete header fields, each ending in
     * CRLF) followed by this message: every offset moved by their length, without reading anything.
     * Empty when the fields could change what the parser reads from the top-level header (a field it
     * interprets, such as Content-Type or Subject, which the first occurrence wins; a blank line; a
     * header near the parser's byte budget): the new blob is then parsed again.
     */
    public java.util.Optional<ParsedMessage> prepended(BlobRef stored, String fields) {
        byte[] f = fields.getBytes(StandardCharsets.UTF_8);
        if (f.length == 0) {
            return java.util.Optional.of(new ParsedMessage(stored, summary, header));
        }
        if (!neutral(fields) || summary.headerEnd() + f.length > MessageParser.MAX_HEADER_BYTES - 128 * 1024) {
            return java.util.Optional.empty();
        }
        long lfs = 0;
        for (byte b : f) {
            if (b == '\n') {
                lfs++;
            }
        }
        MessageSummary moved = new MessageSummary(summary.size() + f.length, summary.lines() + lfs,
                summary.envelope(), shift(summary.body(), f.length, true));
        byte[] kept = null;
        if (header != null && header.length + f.length <= KEPT_HEADER_BYTES) {
            kept = Arrays.copyOf(f, f.length + header.length);
            System.arraycopy(header, 0, kept, f.length, header.length);
        }
        return java.util.Optional.of(new ParsedMessage(stored, moved, kept));
    }

    /**
     * Whether this parse is small enough to travel with the message to the queue (possibly to another
     * node): the kept header is at most {@link #KEPT_HEADER_BYTES}, the structure estimated at most
     * {@link #MAX_TRAVEL_BYTES}.
     */
    public boolean travels() {
        long budget = MAX_TRAVEL_BYTES - (header == null ? 0 : header.length) - envelopeSize(summary.envelope());
        return budget >= 0 && partSize(summary.body(), budget) <= budget;
    }

    /** Fields that the parser skips at the top of a message: complete, no blank line, none it interprets. */
    private static boolean neutral(String fields) {
        if (!fields.endsWith("\r\n") || fields.startsWith(" ") || fields.startsWith("\t")) {
            return false;
        }
        for (String line : fields.substring(0, fields.length() - 2).split("\r\n", -1)) {
            if (line.isEmpty() || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                return false;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || MessageParser.interprets(line.substring(0, colon).trim().toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** {@code p} with its offsets moved by {@code by}; the root's header still starts at 0. */
    private static BodyPart shift(BodyPart p, long by, boolean root) {
        List<BodyPart> parts = new ArrayList<>(p.parts().size());
        for (BodyPart c : p.parts()) {
            parts.add(shift(c, by, false));
        }
        return new BodyPart(p.section(), p.type(), p.subtype(), p.params(), p.id(), p.description(), p.encoding(),
                p.size(), p.lines(), p.md5(), p.disposition(), p.language(), p.location(),
                root ? p.headerStart() : p.headerStart() + by, p.bodyStart() + by, p.bodyEnd() + by, parts,
                p.envelope(), p.message() == null ? null : shift(p.message(), by, false));
    }

    /** The estimated serialized size of {@code p} and its children, counting stops past {@code budget}. */
    private static long partSize(BodyPart p, long budget) {
        long n = PART_OVERHEAD + len(p.section()) + len(p.type()) + len(p.subtype()) + len(p.id())
                + len(p.description()) + len(p.encoding()) + len(p.md5()) + len(p.location())
                + params(p.params()) + envelopeSize(p.envelope());
        if (p.disposition() != null) {
            n += len(p.disposition().type()) + params(p.disposition().params());
        }
        for (String l : p.language()) {
            n += len(l) + 8;
        }
        for (BodyPart c : p.parts()) {
            if (n > budget) {
                return n;
            }
            n += partSize(c, budget - n);
        }
        if (p.message() != null && n <= budget) {
            n += partSize(p.message(), budget - n);
        }
        return n;
    }

    private static long params(List<Param> params) {
        long n = 0;
        for (Param x : params) {
            n += len(x.name()) + len(x.value()) + 8;
        }
        return n;
    }

    private static long envelopeSize(Envelope e) {
        if (e == null) {
            return 0;
        }
        long n = 64 + len(e.date()) + len(e.subject()) + len(e.inReplyTo()) + len(e.messageId());
        for (List<Address> list : List.of(e.from(), e.sender(), e.replyTo(), e.to(), e.cc(), e.bcc())) {
            for (Address a : list) {
                n += 16 + len(a.name()) + len(a.adl()) + len(a.mailbox()) + len(a.host());
            }
        }
        return n;
    }

    /** Octets of {@code s} in Kryo's string form, at most (UTF-8, three per char). */
    private static long len(String s) {
        return s == null ? 1 : 4 + 3L * s.length();
    }

    /** Copies the first {@link #KEPT_HEADER_BYTES} octets that pass through. */
    private static final class Head extends FilterInputStream {
        /** Grown as the header is read, up to {@link #KEPT_HEADER_BYTES}: most headers are a few KiB. */
        byte[] buf = new byte[4096];
        int size;

        Head(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0 && size < KEPT_HEADER_BYTES) {
                room(1);
                buf[size++] = (byte) c;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && size < KEPT_HEADER_BYTES) {
                int k = Math.min(n, KEPT_HEADER_BYTES - size);
                room(k);
                System.arraycopy(b, off, buf, size, k);
                size += k;
            }
            return n;
        }

        private void room(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(KEPT_HEADER_BYTES, Math.max(size + more, buf.length * 2)));
            }
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
