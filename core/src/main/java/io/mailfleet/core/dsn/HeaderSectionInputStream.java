package io.mailfleet.core.dsn;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/** Yields only the header section of a message stream (up to, not including, the empty line). */
final class HeaderSectionInputStream extends InputStream {
    private final PushbackInputStream in;
    private boolean atLineStart = true;
    private boolean done;

    HeaderSectionInputStream(InputStream in) {
        this.in = new PushbackInputStream(in, 1);
    }

    @Override
    public int read() throws IOException {
        if (done) {
            return -1;
        }
        int b = in.read();
        if (b == -1) {
            done = true;
            return -1;
        }
        if (atLineStart) {
            if (b == '\n') {
                done = true;
                return -1;
            }
            if (b == '\r') {
                int next = in.read();
                if (next == '\n' || next == -1) {
                    done = true;
                    return -1;
                }
                in.unread(next);
            }
        }
        atLineStart = b == '\n';
        return b;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
