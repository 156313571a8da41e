package io.mailfleet.server.importer;

import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.mime.HeaderLimitScanner;
import io.mailfleet.core.mime.HeaderLimits;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a source message's bytes go: line ends made CRLF (Maildir and mbox files store bare LF, IMAP
 * serves CRLF), then counted, hashed (SHA-256 of the stored bytes, as the blob store computes it),
 * checked against the header limits and whether the first line is a header field, and optionally
 * written to a blob. Stops the copy with {@link TooLarge} once the size limit is passed, so a huge
 * file costs no more than the limit to look at.
 */
final class MessageOutput extends OutputStream {

    /** Thrown through the copy when the message passes the size limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("larger than the message size limit of " + limit + " bytes");
        }
    }

    private final long sizeLimit;
    private final BlobWriter target;
    private final HeaderLimitScanner header;
    private final MessageDigest sha;
    private final byte[] buf = new byte[64 * 1024];
    private int fill;
    private long size;
    private boolean lastCr;
    /** -1 undecided, 0 the first line is not a header field, 1 it is. */
    private int firstLineField = -1;

    MessageOutput(long sizeLimit, HeaderLimits limits, BlobWriter target) {
        this.sizeLimit = sizeLimit;
        this.target = target;
        this.header = new HeaderLimitScanner(limits);
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (b == '\n' && !lastCr) {
            put((byte) '\r');
        }
        put((byte) b);
        lastCr = b == '\r';
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    private void put(byte b) throws IOException {
        if (firstLineField < 0) {
            if (b == ':' && size > 0) {
                firstLineField = 1;
            } else if (b < 33 || b > 126) {
                firstLineField = 0;
            }
        }
        buf[fill++] = b;
        size++;
        if (size > sizeLimit) {
            throw new TooLarge(sizeLimit);
        }
        if (fill == buf.length) {
            drain();
        }
    }

    private void drain() throws IOException {
        if (fill == 0) {
            return;
        }
        sha.update(buf, 0, fill);
        header.feed(buf, 0, fill);
        if (target != null) {
            target.write(ByteBuffer.wrap(buf, 0, fill));
        }
        fill = 0;
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

    /** What the bytes looked like: stored size, SHA-256 (hex), header over the limits, starts with a field. */
    record Seen(long size, String sha256, boolean headerTooLarge, boolean startsWithField) {
    }
}
