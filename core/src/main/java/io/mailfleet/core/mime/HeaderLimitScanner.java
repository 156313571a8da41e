package io.mailfleet.core.mime;

import java.nio.ByteBuffer;

/**
 * Watches the first bytes of a message as they arrive and tells when its header section breaks
 * {@link HeaderLimits}: one line longer than the line limit, or all header lines together longer
 * than the size limit (a folded field's continuation lines count like any other). Keeps no copy of
 * the bytes, so memory stays constant for any input.
 *
 * <p>The header section is everything before the first empty line, as the message parser, IMAP
 * FETCH and SEARCH see it: a line that is not a field still counts, so a message without an empty
 * line is all header.
 */
public final class HeaderLimitScanner {

    private final HeaderLimits limits;
    /** Octets of the current line so far, CR included. */
    private long lineLength;
    private boolean lastCr;
    private long headerBytes;
    private boolean done;
    private boolean exceeded;

    public HeaderLimitScanner(HeaderLimits limits) {
        this.limits = limits;
    }

    /** True once the header broke a limit; stays true. */
    public boolean exceeded() {
        return exceeded;
    }

    /** True once the header section ended (or a limit was exceeded): further bytes are ignored. */
    public boolean done() {
        return done || exceeded;
    }

    /** Header octets counted so far, line ends included (not the empty line). */
    public long headerBytes() {
        return headerBytes;
    }

    /** Scans {@code len} bytes of {@code b} from {@code off}. */
    public void feed(byte[] b, int off, int len) {
        for (int i = off; i < off + len && !done(); i++) {
            step(b[i]);
        }
    }

    /** Scans the remaining bytes of {@code buf} without moving its position. */
    public void feed(ByteBuffer buf) {
        for (int i = buf.position(); i < buf.limit() && !done(); i++) {
            step(buf.get(i));
        }
    }

    private void step(byte b) {
        if (b == '\n') {
            long content = lineLength - (lastCr ? 1 : 0);
            if (content == 0) {
                done = true; // the empty line: the header is complete
                return;
            }
            count(1);
            if (content > limits.maxLineLength()) {
                exceeded = true;
            }
            lineLength = 0;
            lastCr = false;
            return;
        }
        lineLength++;
        boolean cr = b == '\r';
        if (lineLength == 1 && cr) {
            lastCr = true; // may be the empty line's CR, which is not header: counted once the line goes on
            return;
        }
        count(lineLength == 2 && lastCr ? 2 : 1);
        lastCr = cr;
        // one octet more than the limit may still be the CR of the line's CRLF
        if (lineLength > limits.maxLineLength() + 1 || lineLength == limits.maxLineLength() + 1 && !lastCr) {
            exceeded = true;
        }
    }

    private void count(long n) {
        headerBytes += n;
        if (headerBytes > limits.maxHeaderBytes()) {
            exceeded = true;
        }
    }

    /** RFC 5322 ftext: printable US-ASCII except the colon. */
    private static boolean nameChar(byte b) {
        return b >= 33 && b <= 126 && b != ':';
    }
}
