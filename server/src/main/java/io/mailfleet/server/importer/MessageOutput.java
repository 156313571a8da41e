package io.mailfleet.server.importer;

import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.mime.HeaderLimitScanner;
import io.mailfleet.core.mime.HeaderLimits;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Where a source message's bytes go: line ends made CRLF (Maildir and mbox files store bare LF, IMAP
 * serves CRLF), then counted, hashed (SHA-256 of the stored bytes, as the blob store computes it),
 * checked against the header limits and whether the first line is a header field, and optionally
 * written to a blob or held in memory up to a limit (so a message is read from its source once).
 * Stops the copy with {@link TooLarge} once the size limit is passed, so a huge file costs no more
 * than the limit to look at.
 */
final class MessageOutput extends OutputStream {

    /** Thrown through the copy when the message passes the size limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("larger than the message size limit of " + limit + " bytes");
        }
    }

    private static final byte[] CR = {'\r'};

    private final long sizeLimit;
    private final BlobWriter target;
    private final HeaderLimitScanner header;
    private final MessageDigest sha;
    // small: one is allocated per message, and bulk writes (8 KiB from a file) fill it in one copy
    private final byte[] buf = new byte[8 * 1024];
    private final int holdLimit;
    private byte[] held;
    private int fill;
    private long size;
    private boolean lastCr;
    /** -1 undecided, 0 the first line is not a header field, 1 it is. */
    private int firstLineField = -1;

    /** Writes the bytes to {@code target} (null: only looks at them). */
    MessageOutput(long sizeLimit, HeaderLimits limits, BlobWriter target) {
        this(sizeLimit, limits, target, 0);
    }

    private MessageOutput(long sizeLimit, HeaderLimits limits, BlobWriter target, int holdLimit) {
        this.sizeLimit = sizeLimit;
        this.target = target;
        this.holdLimit = holdLimit;
        this.held = holdLimit > 0 ? new byte[Math.min(holdLimit, 32 * 1024)] : null;
        this.header = new HeaderLimitScanner(limits);
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Looks at the bytes and keeps them in memory while they are at most {@code holdLimit} bytes. */
    static MessageOutput holding(long sizeLimit, HeaderLimits limits, int holdLimit) {
        return new MessageOutput(sizeLimit, limits, null, holdLimit);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n' && !(i > off ? b[i - 1] == '\r' : lastCr)) {
                put(b, start, i - start);
                put(CR, 0, 1);
                start = i;
            }
        }
        put(b, start, end - start);
        if (len > 0) {
            lastCr = b[end - 1] == '\r';
        }
    }

    private void put(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        if (size + len > sizeLimit) {
            throw new TooLarge(sizeLimit);
        }
        if (firstLineField < 0) {
            firstLine(b, off, len);
        }
        while (len > 0) {
            int n = Math.min(len, buf.length - fill);
            System.arraycopy(b, off, buf, fill, n);
            fill += n;
            // counted as copied: drain() takes the held part to be size - fill
            size += n;
            off += n;
            len -= n;
            if (fill == buf.length) {
                drain();
            }
        }
    }

    /** Decides from the first bytes whether the first line is a header field (a name, then a colon). */
    private void firstLine(byte[] b, int off, int len) {
        long at = size;
        for (int i = off; i < off + len && firstLineField < 0; i++, at++) {
            if (b[i] == ':' && at > 0) {
                firstLineField = 1;
            } else if (b[i] < 33 || b[i] > 126) {
                firstLineField = 0;
            }
        }
    }

    private void drain() throws IOException {
        if (fill == 0) {
            return;
        }
        sha.update(buf, 0, fill);
        if (!header.done()) {
            header.feed(buf, 0, fill);
        }
        if (target != null) {
            target.write(ByteBuffer.wrap(buf, 0, fill));
        }
        if (held != null) {
            hold();
        }
        fill = 0;
    }

    /** Appends the buffer to the held copy, or gives the copy up once it would pass the limit. */
    private void hold() {
        long kept = size - fill;
        if (size > holdLimit) {
            held = null;
            return;
        }
        if (size > held.length) {
            held = Arrays.copyOf(held, (int) Math.min(holdLimit, Math.max(size, 2L * held.length)));
        }
        System.arraycopy(buf, 0, held, (int) kept, fill);
    }

    @Override
    public void flush() throws IOException {
        drain();
    }

    /** Flushes and tells what was seen; call once, after the copy. */
    Seen finish() throws IOException {
        drain();
        return new Seen(size, HexFormat.of().formatHex(sha.digest()), header.exceeded(), firstLineField == 1);
    }

    /**
     * The stored bytes ({@link Seen#size()} of them, from index 0) when this output holds them, null when it
     * was not asked to or they passed the hold limit. Valid after {@link #finish()}.
     */
    byte[] held() {
        return held;
    }

    /** What the bytes looked like: stored size, SHA-256 (hex), header over the limits, starts with a field. */
    record Seen(long size, String sha256, boolean headerTooLarge, boolean startsWithField) {
    }
}
