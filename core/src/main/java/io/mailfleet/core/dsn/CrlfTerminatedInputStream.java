package io.mailfleet.core.dsn;

import java.io.IOException;
import java.io.InputStream;

/** Passes a stream through and appends CRLF if its non-empty content does not end with a line break. */
final class CrlfTerminatedInputStream extends InputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private final InputStream in;
    private int last = '\n';
    private int tail = -1;

    CrlfTerminatedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        if (tail >= 0) {
            return tail < CRLF.length ? CRLF[tail++] : -1;
        }
        int b = in.read();
        if (b == -1) {
            tail = last == '\n' ? CRLF.length : 0;
            return read();
        }
        last = b;
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (tail >= 0 || len == 0) {
            return len == 0 ? 0 : single(buf, off);
        }
        int n = in.read(buf, off, len);
        if (n == -1) {
            tail = last == '\n' ? CRLF.length : 0;
            return single(buf, off);
        }
        if (n > 0) {
            last = buf[off + n - 1];
        }
        return n;
    }

    private int single(byte[] buf, int off) throws IOException {
        int b = read();
        if (b == -1) {
            return -1;
        }
        buf[off] = (byte) b;
        return 1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
