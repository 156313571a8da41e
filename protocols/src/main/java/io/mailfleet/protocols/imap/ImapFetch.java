package io.mailfleet.protocols.imap;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mime.BodyPart;
import io.mailfleet.core.mime.HeaderIndex;
import io.mailfleet.core.mime.ImapFormat;
import io.mailfleet.core.mime.MessageSummary;
import io.mailfleet.core.mime.Sections;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Renders FETCH responses; message bytes stream from the blob store to the socket. */
final class ImapFetch {

    private final BlobStore blobs;

    ImapFetch(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** Writes {@code * seq FETCH (...)} for {@code m} (not flushed). */
    void write(ChannelHandlerContext ctx, int seq, MessageView m, SelectedFolder s, List<FetchItem> items)
            throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append("* ").append(seq).append(" FETCH (");
        boolean first = true;
        MessageSummary sum = m.summary();
        for (FetchItem item : items) {
            if (!first) {
                sb.append(' ');
            }
            first = false;
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
                case "BODY" -> {
                    if (!item.isBody()) {
                        sb.append("BODY ").append(ImapFormat.body(sum.body()));
                    } else {
                        section(ctx, sb, item.responseName(), m, item);
                    }
                }
                case "RFC822" -> range(ctx, sb, "RFC822", m, new Sections.Range(0, m.size()), -1, -1);
                case "RFC822.HEADER" -> range(ctx, sb, "RFC822.HEADER", m, new Sections.Range(0, sum.headerEnd()), -1, -1);
                case "RFC822.TEXT" -> range(ctx, sb, "RFC822.TEXT", m,
                        new Sections.Range(sum.headerEnd(), m.size() - sum.headerEnd()), -1, -1);
                default -> throw new ImapParseException("unknown fetch attribute " + item.name());
            }
        }
        sb.append(")\r\n");
        ctx.write(Unpooled.copiedBuffer(sb, StandardCharsets.UTF_8));
    }

    private void section(ChannelHandlerContext ctx, StringBuilder sb, String name, MessageView m, FetchItem item)
            throws IOException {
        MessageSummary sum = m.summary();
        switch (item.kind()) {
            case FIELDS, FIELDS_NOT -> {
                Optional<Sections.Range> header = headerRange(sum, item.part());
                if (header.isEmpty()) {
                    sb.append(name).append(" \"\"");
                    return;
                }
                byte[] raw;
                try (InputStream in = blobs.openRange(m.blob(), header.get().offset(), header.get().length())) {
                    raw = HeaderIndex.select(in.readAllBytes(), item.fields(), item.kind() == FetchItem.Kind.FIELDS_NOT);
                }
                literalBytes(ctx, sb, name, partial(raw, item));
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
                    sb.append(name).append(" \"\"");
                    return;
                }
                range(ctx, sb, name, m, r.get(), item.partialStart(), item.partialLength());
            }
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

    private static byte[] partial(byte[] data, FetchItem item) {
        if (item.partialStart() < 0) {
            return data;
        }
        int start = (int) Math.min(item.partialStart(), data.length);
        int end = (int) Math.min((long) start + item.partialLength(), data.length);
        return java.util.Arrays.copyOfRange(data, start, end);
    }

    private static void literalBytes(ChannelHandlerContext ctx, StringBuilder sb, String name, byte[] data) {
        sb.append(name).append(" {").append(data.length).append("}\r\n");
        ctx.write(Unpooled.copiedBuffer(sb, StandardCharsets.UTF_8));
        sb.setLength(0);
        ctx.write(Unpooled.wrappedBuffer(data));
    }

    private void range(ChannelHandlerContext ctx, StringBuilder sb, String name, MessageView m, Sections.Range r,
                       long partialStart, long partialLength) {
        long offset = r.offset();
        long length = r.length();
        if (partialStart >= 0) {
            long start = Math.min(partialStart, length);
            offset += start;
            length = Math.min(partialLength, length - start);
        }
        sb.append(name).append(" {").append(length).append("}\r\n");
        ctx.write(Unpooled.copiedBuffer(sb, StandardCharsets.UTF_8));
        sb.setLength(0);
        if (length > 0) {
            ctx.write(new BlobChunks(blobs, m.blob(), offset, length));
        }
    }
}
