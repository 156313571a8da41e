package io.mailfleet.core.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Single-pass, bounded-memory parser computing a {@link MessageSummary} from raw message bytes.
 *
 * <p>Only header fields that matter for IMAP are kept (at most {@link #MAX_HEADER_BYTES} per header
 * section); bodies are scanned line by line for boundaries and never retained. Malformed MIME never
 * raises: like Dovecot, an unparsable Content-Type becomes text/plain, a multipart whose boundary is
 * missing or whose nesting exceeds {@link #MAX_DEPTH} / {@link #MAX_PARTS} becomes a text/plain
 * leaf, a message/rfc822 with a non-identity transfer encoding becomes application/octet-stream,
 * an unterminated multipart ends where its parent (or the message) ends, and the CRLF before a
 * boundary belongs to the boundary (RFC 2046).
 */
public final class MessageParser {

    /** Header bytes kept per header section; the rest is counted but not interpreted. */
    public static final int MAX_HEADER_BYTES = 1024 * 1024;
    /** Deepest nesting of parts interpreted as containers. */
    public static final int MAX_DEPTH = 50;
    /** Parts interpreted per message; later ones are folded into their parent's body. */
    public static final int MAX_PARTS = 10_000;
    /** RFC 2046 allows 70; longer ones are still honoured up to this length. */
    private static final int MAX_BOUNDARY = 1000;

    private static final Set<String> MIME_FIELDS = Set.of("content-type", "content-transfer-encoding",
            "content-id", "content-description", "content-disposition", "content-language",
            "content-location", "content-md5");
    private static final Set<String> ENVELOPE_FIELDS = Set.of("date", "subject", "from", "sender",
            "reply-to", "to", "cc", "bcc", "in-reply-to", "message-id");
    /** Passes over a message since start: each one reads a whole message (the figure parse-once keeps down). */
    private static final LongAdder PASSES = new LongAdder();

    /** A multipart boundary in force, innermost first. */
    private record Frame(byte[] boundary, Frame parent, int maxLength) {
    }

    /** A boundary line that ended one or more parts. */
    private record Hit(Frame frame, boolean close, long lineStart, int prevTerminator, long lfAtLineStart) {
    }

    private record Node(BodyPart part, Envelope envelope) {
    }

    private final LineReader reader;
    private int partCount;
    private int lastTerminator;
    /** Whether the line read last was body content (not a header line, blank line or boundary). */
    private boolean lastWasBody;
    private Hit pending;

    private MessageParser(InputStream raw, long size) {
        this.reader = new LineReader(raw, size);
    }

    /**
     * Parses a whole message from {@code raw} (read to its end, not closed).
     *
     * @throws IOException only when reading the stream fails; bad content never throws
     */
    public static MessageSummary parse(InputStream raw) throws IOException {
        return parse(raw, -1);
    }

    /** As {@link #parse(InputStream)}, for a stream known to hold {@code size} octets (a hint for buffers). */
    public static MessageSummary parse(InputStream raw, long size) throws IOException {
        PASSES.increment();
        MessageParser p = new MessageParser(raw, size);
        Node root = p.entity(null, 0, "1", "", false, true);
        return new MessageSummary(p.reader.offset(), p.reader.lfCount(), root.envelope, root.part);
    }

    /** How many messages this process has parsed so far (a monotonic count of {@link #parse} calls). */
    public static long passes() {
        return PASSES.sum();
    }

    /** Whether a top-level header field of this (lower-case) name changes what a parse gives. */
    static boolean interprets(String name) {
        return MIME_FIELDS.contains(name) || ENVELOPE_FIELDS.contains(name);
    }

    /**
     * Reads a line, remembering the terminator of the previous one: the CRLF before a boundary
     * belongs to the boundary when it ends a body or boundary line (RFC 2046: the CRLF after a
     * close-delimiter starts the enclosing delimiter); a header's lines and blank line keep theirs,
     * so an enclosing part never ends inside a nested part's header.
     */
    private boolean nextLine(int cap) throws IOException {
        lastTerminator = lastWasBody ? reader.terminator : 0;
        lastWasBody = false;
        return reader.next(cap);
    }

    private Node entity(Frame frames, int depth, String leafSection, String multipartSection,
                        boolean digestChild, boolean messageRoot) throws IOException {
        partCount++;
        long headerStart = reader.offset();
        Map<String, String> fields = new HashMap<>();
        pending = null;
        readHeader(frames, fields, messageRoot);
        Envelope envelope = messageRoot ? envelope(fields) : null;
        if (pending != null) {
            long at = Math.max(headerStart, pending.lineStart - pending.prevTerminator);
            BodyPart part = leaf(fields, digestChild, leafSection, headerStart, at, at, 0);
            return new Node(part, envelope);
        }
        long bodyStart = reader.offset();
        long lfAtBodyStart = reader.lfCount();

        MimeFields.ContentType ct = contentType(fields, digestChild);
        String encoding = MimeFields.encoding(fields.get("content-transfer-encoding"));
        boolean containersAllowed = depth < MAX_DEPTH && partCount < MAX_PARTS;
        String boundary = ct.params().stream().filter(p -> p.name().equals("boundary"))
                .map(Param::value).findFirst().orElse("");
        boolean multipart = ct.type().equalsIgnoreCase("multipart");
        boolean rfc822 = ct.type().equalsIgnoreCase("message") && ct.subtype().equalsIgnoreCase("rfc822");
        boolean identity = encoding == null || encoding.equalsIgnoreCase("7bit")
                || encoding.equalsIgnoreCase("8bit") || encoding.equalsIgnoreCase("binary");

        if (multipart && containersAllowed && !boundary.isEmpty() && boundary.length() <= MAX_BOUNDARY) {
            byte[] b = boundary.getBytes(StandardCharsets.UTF_8);
            Frame frame = new Frame(b, frames, Math.max(b.length, frames == null ? 0 : frames.maxLength));
            boolean digest = ct.subtype().equalsIgnoreCase("digest");
            List<BodyPart> children = new ArrayList<>();
            Hit hit = scanBody(frame);
            int n = 0;
            while (hit != null && hit.frame == frame && !hit.close) {
                if (partCount >= MAX_PARTS) {
                    hit = scanBody(frame);
                    continue;
                }
                n++;
                String section = multipartSection.isEmpty() ? String.valueOf(n) : multipartSection + "." + n;
                children.add(entity(frame, depth + 1, section, section, digest, false).part);
                hit = pending;
            }
            if (hit != null && hit.frame == frame) {
                hit = scanBody(frames);
            }
            long[] end = cover(end(hit, bodyStart, lfAtBodyStart), children.isEmpty() ? null : children.get(children.size() - 1));
            pending = hit;
            BodyPart part = new BodyPart(multipartSection, ct.type(), ct.subtype(), ct.params(),
                    fields.get("content-id"), fields.get("content-description"), encoding, end[0] - bodyStart,
                    end[1], fields.get("content-md5"), MimeFields.disposition(fields.get("content-disposition")),
                    MimeFields.languages(fields.get("content-language")), fields.get("content-location"),
                    headerStart, bodyStart, end[0], children, null, null);
            return new Node(part, envelope);
        }
        if (rfc822 && identity && containersAllowed) {
            Node inner = entity(frames, depth + 1, leafSection + ".1", leafSection, false, true);
            Hit hit = pending;
            long[] end = cover(end(hit, bodyStart, lfAtBodyStart), inner.part);
            pending = hit;
            BodyPart part = new BodyPart(leafSection, ct.type(), ct.subtype(), ct.params(),
                    fields.get("content-id"), fields.get("content-description"), encoding, end[0] - bodyStart,
                    end[1], fields.get("content-md5"), MimeFields.disposition(fields.get("content-disposition")),
                    MimeFields.languages(fields.get("content-language")), fields.get("content-location"),
                    headerStart, bodyStart, end[0], List.of(), inner.envelope, inner.part);
            return new Node(part, envelope);
        }
        Hit hit = scanBody(frames);
        long[] end = end(hit, bodyStart, lfAtBodyStart);
        pending = hit;
        return new Node(leaf(fields, digestChild, leafSection, headerStart, bodyStart, end[0], end[1]), envelope);
    }

    /** Builds a leaf part; containers that could not be interpreted are demoted here. */
    private BodyPart leaf(Map<String, String> fields, boolean digestChild, String section,
                          long headerStart, long bodyStart, long bodyEnd, long lines) {
        MimeFields.ContentType ct = contentType(fields, digestChild);
        String encoding = MimeFields.encoding(fields.get("content-transfer-encoding"));
        if (ct.type().equalsIgnoreCase("multipart")) {
            ct = defaultText();
        } else if (ct.type().equalsIgnoreCase("message") && ct.subtype().equalsIgnoreCase("rfc822")) {
            ct = new MimeFields.ContentType("application", "octet-stream", ct.params());
        }
        return new BodyPart(section, ct.type(), ct.subtype(), ct.params(), fields.get("content-id"),
                fields.get("content-description"), encoding, bodyEnd - bodyStart, lines,
                fields.get("content-md5"), MimeFields.disposition(fields.get("content-disposition")),
                MimeFields.languages(fields.get("content-language")), fields.get("content-location"),
                headerStart, bodyStart, bodyEnd, List.of(), null, null);
    }

    private static MimeFields.ContentType contentType(Map<String, String> fields, boolean digestChild) {
        String raw = fields.get("content-type");
        MimeFields.ContentType ct = MimeFields.contentType(raw);
        if (ct != null) {
            return ct;
        }
        if (raw == null && digestChild) {
            return new MimeFields.ContentType("message", "rfc822", List.of());
        }
        return defaultText();
    }

    private static MimeFields.ContentType defaultText() {
        return new MimeFields.ContentType("text", "plain", List.of(new Param("charset", "us-ascii")));
    }

    /** {end offset, lines} of a body that ends at {@code hit} (or at end of stream). */
    private long[] end(Hit hit, long bodyStart, long lfAtBodyStart) {
        if (hit == null) {
            return new long[] {reader.offset(), reader.lfCount() - lfAtBodyStart};
        }
        long end = hit.lineStart - hit.prevTerminator;
        if (end < bodyStart) {
            return new long[] {bodyStart, 0};
        }
        long lf = hit.lfAtLineStart - (hit.prevTerminator > 0 ? 1 : 0);
        return new long[] {end, lf - lfAtBodyStart};
    }

    /**
     * Extends a container's end over its last child: a child opened by a boundary line and cut at
     * once by an enclosing boundary starts after the CRLF that the enclosing delimiter claims.
     */
    private static long[] cover(long[] end, BodyPart last) {
        if (last != null && last.bodyEnd() > end[0]) {
            return new long[] {last.bodyEnd(), end[1] + 1};
        }
        return end;
    }

    /** Skips body lines until a boundary of {@code frames} (null: to end of stream). */
    private Hit scanBody(Frame frames) throws IOException {
        int cap = frames == null ? 0 : frames.maxLength + 4;
        while (nextLine(cap)) {
            lastWasBody = true;
            Hit hit = match(frames);
            if (hit != null) {
                return hit;
            }
        }
        return null;
    }

    private Hit match(Frame frames) {
        if (frames == null || reader.kept < 2 || reader.line[0] != '-' || reader.line[1] != '-') {
            return null;
        }
        for (Frame f = frames; f != null; f = f.parent) {
            byte[] b = f.boundary;
            if (reader.kept < b.length + 2) {
                continue;
            }
            boolean same = true;
            for (int k = 0; k < b.length && same; k++) {
                same = reader.line[k + 2] == b[k];
            }
            if (same) {
                boolean close = reader.kept >= b.length + 4 && reader.line[b.length + 2] == '-'
                        && reader.line[b.length + 3] == '-';
                long lfAtStart = reader.lfCount() - (reader.terminator > 0 ? 1 : 0);
                return new Hit(f, close, reader.lineStart, lastTerminator, lfAtStart);
            }
        }
        return null;
    }

    /**
     * Reads a header section up to its blank line, a boundary (sets {@link #pending}) or the end,
     * keeping wanted fields unfolded; the first occurrence of a field wins.
     */
    private void readHeader(Frame frames, Map<String, String> fields, boolean messageRoot) throws IOException {
        int budget = MAX_HEADER_BYTES;
        String current = null;
        StringBuilder value = null;
        int cap = Math.max(frames == null ? 0 : frames.maxLength + 4, 998);
        while (nextLine(Math.max(cap, Math.min(budget, 64 * 1024)))) {
            if (reader.contentLength == 0) {
                break;
            }
            Hit hit = match(frames);
            if (hit != null) {
                pending = hit;
                break;
            }
            int kept = Math.min(reader.kept, Math.max(budget, 0));
            budget -= kept;
            byte[] line = reader.line;
            if (kept > 0 && (line[0] == ' ' || line[0] == '\t')) {
                if (value != null) {
                    value.append(new String(line, 0, kept, StandardCharsets.UTF_8));
                }
                continue;
            }
            finish(fields, current, value);
            current = null;
            value = null;
            int colon = -1;
            for (int k = 0; k < kept; k++) {
                if (line[k] == ':') {
                    colon = k;
                    break;
                }
            }
            if (colon <= 0) {
                continue;
            }
            String name = new String(line, 0, colon, StandardCharsets.ISO_8859_1).trim().toLowerCase(Locale.ROOT);
            if ((MIME_FIELDS.contains(name) || messageRoot && ENVELOPE_FIELDS.contains(name))
                    && !fields.containsKey(name)) {
                current = name;
                value = new StringBuilder(new String(line, colon + 1, kept - colon - 1, StandardCharsets.UTF_8));
            }
        }
        finish(fields, current, value);
    }

    private static void finish(Map<String, String> fields, String name, StringBuilder value) {
        if (name != null) {
            fields.putIfAbsent(name, value.toString().strip());
        }
    }

    private static Envelope envelope(Map<String, String> f) {
        List<Address> from = AddressParser.parse(f.get("from"));
        List<Address> sender = AddressParser.parse(f.get("sender"));
        List<Address> replyTo = AddressParser.parse(f.get("reply-to"));
        return new Envelope(f.get("date"), f.get("subject"), from, sender.isEmpty() ? from : sender,
                replyTo.isEmpty() ? from : replyTo, AddressParser.parse(f.get("to")),
                AddressParser.parse(f.get("cc")), AddressParser.parse(f.get("bcc")), f.get("in-reply-to"),
                f.get("message-id"));
    }
}
