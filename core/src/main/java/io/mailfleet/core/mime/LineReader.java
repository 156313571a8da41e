package io.mailfleet.core.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a byte stream line by line (a line ends at LF), keeping at most a caller-chosen prefix of
 * each line so that arbitrarily long lines cost bounded memory, while counting every octet and LF.
 */
final class LineReader {

    /** Read-ahead per fill at most: parsed messages are mostly a few KiB, and every parse allocates it anew. */
    private static final int READ_AHEAD = 16 * 1024;

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;

    /** Bytes consumed before the current line. */
    private long offset;
    private long lfCount;

    byte[] line = new byte[1024];
    /** Number of bytes of the current line kept in {@link #line} (terminator excluded). */
    int kept;
    /** Full length of the current line content, terminator excluded. */
    long contentLength;
    /** Length of the terminator: 2 for CRLF, 1 for bare LF, 0 at end of stream. */
    int terminator;
    long lineStart;

    /** @param size the stream's length when known (the read-ahead need not be longer), else -1 */
    LineReader(InputStream in, long size) {
        this.in = in;
        this.buf = new byte[size >= 0 ? (int) Math.min(READ_AHEAD, Math.max(size, 512)) : READ_AHEAD];
    }

    long offset() {
        return offset;
    }

    long lfCount() {
        return lfCount;
    }

    /**
     * Reads the next line, keeping at most {@code cap} bytes of its content.
     *
     * @return false at end of stream (no line read)
     */
    boolean next(int cap) throws IOException {
        lineStart = offset;
        kept = 0;
        contentLength = 0;
        terminator = 0;
        boolean any = false;
        boolean lastWasCr = false;
        while (true) {
            if (pos >= limit && !fill()) {
                break;
            }
            any = true;
            int start = pos;
            int end = limit;
            int lf = -1;
            for (int i = start; i < end; i++) {
                if (buf[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            int chunkEnd = lf >= 0 ? lf : end;
            int n = chunkEnd - start;
            if (n > 0) {
                int copy = Math.min(n, cap - kept);
                if (copy > 0) {
                    if (kept + copy > line.length) {
                        // grown to what lines need, not to the cap: a header line may keep 64 KiB, but
                        // allocating that for every parse of a small message was most of its garbage
                        line = Arrays.copyOf(line, Math.min(cap, Math.max(kept + copy, line.length * 2)));
                    }
                    System.arraycopy(buf, start, line, kept, copy);
                    kept += copy;
                }
                contentLength += n;
                lastWasCr = buf[chunkEnd - 1] == '\r';
            }
            offset += n;
            if (lf >= 0) {
                pos = lf + 1;
                offset++;
                lfCount++;
                terminator = lastWasCr ? 2 : 1;
                if (lastWasCr) {
                    contentLength--;
                    if (kept > contentLength) {
                        kept = (int) contentLength;
                    }
                }
                return true;
            }
            pos = end;
        }
        return any;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buf, 0, buf.length);
        while (n == 0) {
            n = in.read(buf, 0, buf.length);
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }
}
