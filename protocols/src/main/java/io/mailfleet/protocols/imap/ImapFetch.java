package io.mailfleet.protocols.imap;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.imap.ContentDecoding;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mime.BodyPart;
import io.mailfleet.core.mime.HeaderIndex;
import io.mailfleet.core.mime.ImapFormat;
import io.mailfleet.core.mime.MessageSummary;
import io.mailfleet.core.mime.Sections;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Renders FETCH responses. What a response needs from the blob store before it can be written (a
 * HEADER.FIELDS selection, a BINARY size, the check that a section holds no NUL) is read by
 * {@link #plan}, which {@link FetchRun} calls off the event loop when {@link #needsRead} says so;
 * the response is then rendered on the loop from the plan, and message bytes stream to the socket
 * through {@link BlobChunks}, read off the loop as well.
 */
final class ImapFetch {

    /** Pending response text is handed to Netty once it reaches this size (or a literal follows). */
    private static final int DRAIN_AT = 32 * 1024;
    /** Header sections up to this size have their HEADER.FIELDS selection made in memory, in one pass. */
    private static final int IN_MEMORY_HEADER = 64 * 1024;

    private final BlobStore blobs;
    /**
     * Response text not yet handed to Netty. The responses of one FETCH command are collected here and
     * written as one buffer: a FETCH of flags for 100 messages is one write instead of 100, each of
     * which Netty's streaming handler would queue and copy on its own.
     */
    private final StringBuilder out = new StringBuilder(1024);
    /** Where the response being rendered started in {@link #out}; 0 once part of it was written. */
    private int responseStart;
    /** Bytes handed to Netty so far (text and literals), for {@link FetchRun}'s back-pressure. */
    private long queued;

    ImapFetch(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** How one content item of a response is sent, decided before any of the response is written. */
    sealed interface Part {
    }

    /** {@code name ""}: the section does not exist. */
    private record Empty(String name) implements Part {
    }

    /** {@code name n} (BINARY.SIZE). */
    private record Size(String name, long size) implements Part {
    }

    /** {@code name {n}} followed by bytes already read (a small HEADER.FIELDS selection). */
    private record Bytes(String name, byte[] data) implements Part {
    }

    /** {@code name {n}} (or {@code ~{n}}, literal8) followed by bytes streamed from the blob store. */
    private record Stream(String name, long length, BlobChunks chunks, boolean literal8) implements Part {
    }

    /** Bytes handed to Netty so far. */
    long queued() {
        return queued;
    }

    /**
     * True when {@link #plan} reads message bytes for {@code m} (else it only does arithmetic on the
     * stored summary and may run anywhere).
     */
    boolean needsRead(MessageView m, List<FetchItem> items) {
        for (FetchItem item : items) {
            switch (item.name()) {
                case "BODY" -> {
                    if (item.isBody() && (item.kind() == FetchItem.Kind.FIELDS || item.kind() == FetchItem.Kind.FIELDS_NOT
                            || declaresBinary(m.summary().body()))) {
                        return true;
                    }
                }
                case "RFC822", "RFC822.HEADER", "RFC822.TEXT" -> {
                    if (declaresBinary(m.summary().body())) {
                        return true;
                    }
                }
                case "BINARY", "BINARY.SIZE" -> {
                    if (!item.part().isEmpty()) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    /**
     * The content items of {@code m}'s response, one per item ({@code null} where the item is not
     * content); reads the blob where {@link #needsRead} says so. Touches no session state, so it may
     * run off the event loop.
     *
     * @throws MailboxException when the response cannot be given (UNKNOWN-CTE)
     */
    Part[] plan(MessageView m, List<FetchItem> items) throws IOException {
        Part[] parts = new Part[items.size()];
        MessageSummary sum = m.summary();
        for (int i = 0; i < parts.length; i++) {
            FetchItem item = items.get(i);
            parts[i] = switch (item.name()) {
                case "BODY" -> item.isBody() ? section(item.responseName(), m, item) : null;
                case "RFC822" -> range("RFC822", m, new Sections.Range(0, m.size()), -1, -1);
                case "RFC822.HEADER" -> range("RFC822.HEADER", m, new Sections.Range(0, sum.headerEnd()), -1, -1);
                case "RFC822.TEXT" -> range("RFC822.TEXT", m,
                        new Sections.Range(sum.headerEnd(), m.size() - sum.headerEnd()), -1, -1);
                case "BINARY" -> binary(m, item);
                case "BINARY.SIZE" -> {
                    Optional<Binary> b = binarySource(m, item);
                    yield new Size(item.responseName(), b.isEmpty() ? 0 : b.get().decodedSize(blobs, m));
                }
                default -> null;
            };
        }
        return parts;
    }

    /**
     * Renders {@code * seq FETCH (...)} for {@code m} from its {@link #plan}; text may stay pending
     * until {@link #drain}. Runs on the event loop.
     */
    void write(ChannelHandlerContext ctx, int seq, MessageView m, SelectedFolder s, List<FetchItem> items,
               Part[] parts) {
        responseStart = out.length();
        try {
            render(ctx, seq, m, s, items, parts);
        } catch (RuntimeException e) {
            out.setLength(responseStart);
            throw e;
        }
        if (out.length() >= DRAIN_AT) {
            drain(ctx);
        }
    }

    /** Hands the pending response text to Netty (not flushed). */
    void drain(ChannelHandlerContext ctx) {
        if (out.length() > 0) {
            io.netty.buffer.ByteBuf b = ByteBufUtil.writeUtf8(ctx.alloc(), out);
            queued += b.readableBytes();
            ctx.write(b);
            out.setLength(0);
        }
        responseStart = 0;
    }

    private void render(ChannelHandlerContext ctx, int seq, MessageView m, SelectedFolder s, List<FetchItem> items,
                        Part[] parts) {
        StringBuilder sb = out;
        sb.append("* ").append(seq).append(" FETCH (");
        MessageSummary sum = m.summary();
        for (int i = 0; i < parts.length; i++) {
            FetchItem item = items.get(i);
            if (i > 0) {
                sb.append(' ');
            }
            if (parts[i] != null) {
                part(ctx, sb, parts[i]);
                continue;
            }
            switch (item.name()) {
                case "UID" -> sb.append("UID ").append(m.uid());
                case "FLAGS" -> sb.append("FLAGS (").append(String.join(" ", s.flagsOf(m))).append(')');
                case "MODSEQ" -> sb.append("MODSEQ (").append(Math.max(1, m.modseq())).append(')');
                case "INTERNALDATE" -> sb.append("INTERNALDATE \"")
                        .append(ImapSession.INTERNALDATE.format(m.internalDate().atZone(ZoneId.systemDefault())))
                        .append('"');
                case "RFC822.SIZE" -> sb.append("RFC822.SIZE ").append(m.size());
                case "ENVELOPE" -> sb.append("ENVELOPE ").append(ImapFormat.envelope(sum.envelope()));
                case "BODYSTRUCTURE" -> sb.append("BODYSTRUCTURE ").append(ImapFormat.bodyStructure(sum.body()));
                case "BODY" -> sb.append("BODY ").append(ImapFormat.body(sum.body()));
                default -> throw new ImapParseException("unknown fetch attribute " + item.name());
            }
        }
        sb.append(")\r\n");
    }

    private void part(ChannelHandlerContext ctx, StringBuilder sb, Part p) {
        if (p instanceof Empty e) {
            sb.append(e.name()).append(" \"\"");
        } else if (p instanceof Size z) {
            sb.append(z.name()).append(' ').append(z.size());
        } else if (p instanceof Bytes b) {
            sb.append(b.name()).append(" {").append(b.data().length).append("}\r\n");
            drain(ctx);
            queued += b.data().length;
            ctx.write(Unpooled.wrappedBuffer(b.data()));
        } else if (p instanceof Stream st) {
            sb.append(st.name()).append(st.literal8() ? " ~{" : " {").append(st.length()).append("}\r\n");
            drain(ctx);
            if (st.length() > 0) {
                queued += st.length();
                ctx.write(st.chunks().on(ctx.channel()));
            }
        }
    }

    private Part section(String name, MessageView m, FetchItem item) throws IOException {
        MessageSummary sum = m.summary();
        switch (item.kind()) {
            case FIELDS, FIELDS_NOT -> {
                Optional<Sections.Range> header = headerRange(sum, item.part());
                if (header.isEmpty()) {
                    return new Empty(name);
                }
                return fields(name, m, header.get(), item);
            }
            default -> {
                Sections.Kind kind = switch (item.kind()) {
                    case HEADER -> Sections.Kind.HEADER;
                    case TEXT -> Sections.Kind.TEXT;
                    case MIME -> Sections.Kind.MIME;
                    default -> Sections.Kind.ALL;
                };
                Optional<Sections.Range> r = Sections.range(sum, item.part(), kind);
                if (r.isEmpty()) {
                    return new Empty(name);
                }
                return range(name, m, r.get(), item.partialStart(), item.partialLength());
            }
        }
    }

    /** The encoded bytes of a BINARY section and how they are encoded (null: sent as they are). */
    private record Binary(Sections.Range range, String encoding) {
        long decodedSize(BlobStore blobs, MessageView m) throws IOException {
            if (encoding == null) {
                return range.length();
            }
            return ContentDecoding.decodedSize(blobs.openRange(m.blob(), range.offset(), range.length()), encoding);
        }
    }

    private static Optional<Binary> binarySource(MessageView m, FetchItem item) {
        MessageSummary sum = m.summary();
        if (item.part().isEmpty()) {
            return Optional.of(new Binary(new Sections.Range(0, m.size()), null));
        }
        Optional<BodyPart> p = sum.part(item.part());
        Optional<Sections.Range> r = Sections.range(sum, item.part(), Sections.Kind.ALL);
        if (p.isEmpty() || r.isEmpty()) {
            return Optional.empty();
        }
        BodyPart bp = p.get();
        String enc = bp.isMultipart() || bp.isMessage() ? null : bp.encoding();
        if (!ContentDecoding.known(enc)) {
            throw new MailboxException("UNKNOWN-CTE", "Can't decode content transfer encoding " + enc + " of part "
                    + item.part() + ".");
        }
        return Optional.of(new Binary(r.get(), enc));
    }

    /** BINARY[part]: the part decoded on the fly as it streams to the socket (RFC 3516). */
    private Part binary(MessageView m, FetchItem item) throws IOException {
        String name = item.responseName();
        Optional<Binary> src = binarySource(m, item);
        if (src.isEmpty()) {
            return new Empty(name);
        }
        Binary b = src.get();
        long total = b.decodedSize(blobs, m);
        long start = 0;
        long length = total;
        if (item.partialStart() >= 0) {
            start = Math.min(item.partialStart(), total);
            length = Math.min(item.partialLength(), total - start);
        }
        long skip = start;
        Sections.Range r = b.range();
        return new Stream(name, length, new BlobChunks(() -> {
            InputStream in = ContentDecoding.decode(blobs.openRange(m.blob(), r.offset(), r.length()), b.encoding());
            in.skipNBytes(skip);
            return in;
        }, m.blob().id(), length), true);
    }

    /** True when a part of the message is sent as {@code Content-Transfer-Encoding: binary}. */
    private static boolean declaresBinary(BodyPart p) {
        if (p.isMultipart()) {
            return p.parts().stream().anyMatch(ImapFetch::declaresBinary);
        }
        if (p.isMessage()) {
            return declaresBinary(p.message());
        }
        return "binary".equalsIgnoreCase(p.encoding() == null ? "" : p.encoding().trim());
    }

    private boolean containsNul(MessageView m, long offset, long length) throws IOException {
        try (InputStream in = blobs.openRange(m.blob(), offset, length)) {
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == 0) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static Optional<Sections.Range> headerRange(MessageSummary sum, String part) {
        if (part.isEmpty()) {
            return Optional.of(new Sections.Range(0, sum.headerEnd()));
        }
        Optional<BodyPart> p = sum.part(part);
        if (p.isPresent() && p.get().isMessage()) {
            BodyPart msg = p.get().message();
            return Optional.of(new Sections.Range(msg.headerStart(), msg.bodyStart() - msg.headerStart()));
        }
        return Optional.empty();
    }

    /**
     * HEADER.FIELDS and HEADER.FIELDS.NOT, with memory bounded whatever the header's size: a small
     * header's selection is made in memory, a large one is counted in a first pass over the blob and
     * streamed to the socket in a second.
     */
    private Part fields(String name, MessageView m, Sections.Range header, FetchItem item) throws IOException {
        boolean not = item.kind() == FetchItem.Kind.FIELDS_NOT;
        BlobChunks.Opener selection = () -> HeaderIndex.selection(
                blobs.openRange(m.blob(), header.offset(), header.length()), item.fields(), not);
        if (header.length() <= IN_MEMORY_HEADER) {
            byte[] raw;
            try (InputStream in = selection.open()) {
                raw = in.readAllBytes();
            }
            return new Bytes(name, partial(raw, item));
        }
        long total;
        try (InputStream in = selection.open()) {
            total = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        long start = 0;
        long length = total;
        if (item.partialStart() >= 0) {
            start = Math.min(item.partialStart(), total);
            length = Math.min(item.partialLength(), total - start);
        }
        long skip = start;
        return new Stream(name, length, new BlobChunks(() -> {
            InputStream in = selection.open();
            in.skipNBytes(skip);
            return in;
        }, m.blob().id(), length), false);
    }

    private static byte[] partial(byte[] data, FetchItem item) {
        if (item.partialStart() < 0) {
            return data;
        }
        int start = (int) Math.min(item.partialStart(), data.length);
        int end = (int) Math.min((long) start + item.partialLength(), data.length);
        return java.util.Arrays.copyOfRange(data, start, end);
    }

    private Part range(String name, MessageView m, Sections.Range r, long partialStart, long partialLength)
            throws IOException {
        long offset = r.offset();
        long length = r.length();
        if (partialStart >= 0) {
            long start = Math.min(partialStart, length);
            offset += start;
            length = Math.min(partialLength, length - start);
        }
        if (length > 0 && declaresBinary(m.summary().body()) && containsNul(m, offset, length)) {
            // a plain literal cannot carry NUL (RFC 3501 §4.3); literal8 only answers BINARY (RFC 3516 §4.3)
            throw new MailboxException("UNKNOWN-CTE", "The section holds binary data: fetch it with BINARY.");
        }
        return new Stream(name, length, new BlobChunks(blobs, m.blob(), offset, length), false);
    }
}
