package io.mailfleet.protocols.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The input framing every text protocol shares (SMTP, IMAP, POP3, ManageSieve): accumulates a
 * connection's bytes and cuts them into LF-terminated lines with a length limit, counted blocks
 * (IMAP and ManageSieve literals, SMTP BDAT chunks) and raw stretches that a decoder frames itself
 * (SMTP DATA). The session decides which mode comes next; the framer only cuts.
 *
 * <p>Bytes are copied only to build a line's text: the first read is kept as it arrives, counted
 * blocks and raw stretches are handed out as slices of the accumulated buffer. A slice is valid
 * until the next call to this framer. An over-long line is reported once, as soon as it is certain
 * to be too long, and is then skipped up to and including its LF without keeping its bytes.
 * Not thread-safe: one framer belongs to one channel's event loop.
 */
public final class LineFramer {

    private final ByteBufAllocator alloc;
    private ByteBuf buf = Unpooled.EMPTY_BUFFER;
    private boolean released;
    /** An over-long line was reported; its bytes are dropped up to and including its LF. */
    private boolean discarding;
    /** Bytes left of the counted block being read; -1 outside counted mode. */
    private long counted = -1;

    public LineFramer(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** Appends bytes read from the channel; takes ownership of {@code in}. */
    public void add(ByteBuf in) {
        if (released) {
            in.release();
            return;
        }
        buf = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, buf, in);
    }

    public boolean isReadable() {
        return !released && buf.isReadable();
    }

    public int readableBytes() {
        return released ? 0 : buf.readableBytes();
    }

    /** True when the buffered input starts with {@code prefix}, compared case-insensitively (ASCII). */
    public boolean startsWithIgnoreCase(String prefix) {
        return readableBytes() >= prefix.length()
                && buf.toString(buf.readerIndex(), prefix.length(), StandardCharsets.US_ASCII).equalsIgnoreCase(prefix);
    }

    /**
     * Drops the rest of a line already reported {@link Line#TOO_LONG} when its LF is buffered, so a
     * caller that picks the next line's limit by its first word sees that word; false while the long
     * line is still arriving.
     */
    public boolean finishDiscarding() {
        if (!discarding) {
            return true;
        }
        int lf = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) '\n');
        if (lf < 0) {
            buf.skipBytes(buf.readableBytes());
            return false;
        }
        buf.readerIndex(lf + 1);
        discarding = false;
        return true;
    }

    /**
     * The next line, without its LF and without the CR before it ({@link Line#crlf()} tells whether
     * there was one); null when no complete line is buffered yet; {@link Line#TOO_LONG} once for a
     * line of more than {@code maxLength} octets before its LF (a CR counts).
     */
    public Line readLine(int maxLength) {
        if (counted >= 0) {
            throw new IllegalStateException("a counted block of " + counted + " octets is being read");
        }
        while (isReadable()) {
            int start = buf.readerIndex();
            int lf = buf.indexOf(start, buf.writerIndex(), (byte) '\n');
            if (discarding) {
                if (lf < 0) {
                    buf.skipBytes(buf.readableBytes());
                    return null;
                }
                buf.readerIndex(lf + 1);
                discarding = false;
                continue;
            }
            if (lf < 0) {
                if (buf.readableBytes() > maxLength) {
                    // certain to be too long already: report now and keep none of it
                    buf.skipBytes(buf.readableBytes());
                    discarding = true;
                    return Line.TOO_LONG;
                }
                return null;
            }
            int len = lf - start;
            buf.readerIndex(lf + 1);
            if (len > maxLength) {
                return Line.TOO_LONG;
            }
            boolean crlf = len > 0 && buf.getByte(lf - 1) == '\r';
            int octets = crlf ? len - 1 : len;
            return new Line(buf.toString(start, octets, StandardCharsets.UTF_8), crlf, octets);
        }
        return null;
    }

    /**
     * Switches to counted mode: the next {@code octets} bytes are handed out by {@link #readCounted()}
     * whatever they contain; lines resume after them. A count of 0 ends at once.
     */
    public void expect(long octets) {
        if (octets < 0) {
            throw new IllegalArgumentException("negative count " + octets);
        }
        counted = octets == 0 ? -1 : octets;
    }

    /** True while a counted block still has bytes to come. */
    public boolean counting() {
        return counted > 0;
    }

    /** Bytes of the counted block not yet handed out (0 outside counted mode). */
    public long remaining() {
        return Math.max(counted, 0);
    }

    /**
     * The next buffered part of the counted block, at most what is left of it, as a slice valid
     * until the next call to this framer; null when nothing of it is buffered.
     */
    public ByteBuf readCounted() {
        if (counted <= 0) {
            throw new IllegalStateException("not in counted mode");
        }
        if (!isReadable()) {
            return null;
        }
        int n = (int) Math.min(counted, buf.readableBytes());
        counted -= n;
        if (counted == 0) {
            counted = -1;
        }
        return buf.readSlice(n);
    }

    /**
     * Raw mode: lends at most {@code maxBytes} buffered bytes to {@code decoder}, which frames them
     * itself and reads what it consumes (the rest stays buffered); returns the decoder's answer.
     */
    public <T> T decodeRaw(int maxBytes, Function<ByteBuf, T> decoder) {
        if (counted >= 0) {
            throw new IllegalStateException("a counted block of " + counted + " octets is being read");
        }
        int n = Math.min(maxBytes, readableBytes());
        ByteBuf lent = released ? Unpooled.EMPTY_BUFFER : buf.slice(buf.readerIndex(), n);
        T result = decoder.apply(lent);
        if (!released) {
            buf.skipBytes(lent.readerIndex());
        }
        return result;
    }

    /** Drops everything buffered (input sent before a TLS handshake must not be read after it). */
    public void clear() {
        if (!released) {
            buf.skipBytes(buf.readableBytes());
            compact();
        }
        discarding = false;
    }

    /**
     * Hands over everything buffered (to a decoder put in front of this framer, e.g. COMPRESS
     * DEFLATE) and empties the framer; the caller releases the result.
     */
    public ByteBuf takeAll() {
        if (!isReadable()) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf all = buf.readRetainedSlice(buf.readableBytes());
        compact();
        return all;
    }

    /** Frees the space of what was read; called when a batch of input has been processed. */
    public void compact() {
        if (released) {
            return;
        }
        if (!buf.isReadable()) {
            // an idle connection keeps no buffer
            buf.release();
            buf = Unpooled.EMPTY_BUFFER;
        } else {
            buf.discardSomeReadBytes();
        }
    }

    /** Frees the buffer; later input is dropped. Safe to call more than once. */
    public void release() {
        if (!released) {
            released = true;
            buf.release();
            buf = Unpooled.EMPTY_BUFFER;
        }
    }

    /**
     * A complete line, or {@link #TOO_LONG}.
     *
     * @param text   the line decoded as UTF-8, without CR and LF
     * @param crlf   it ended in CRLF rather than a bare LF
     * @param octets its length on the wire without CR and LF
     */
    public record Line(String text, boolean crlf, int octets) {

        /** The line exceeded the limit; its bytes are skipped up to and including its LF. */
        public static final Line TOO_LONG = new Line(null, false, -1);

        public boolean tooLong() {
            return this == TOO_LONG;
        }
    }
}
