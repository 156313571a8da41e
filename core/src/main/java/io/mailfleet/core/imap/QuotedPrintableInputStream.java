package io.mailfleet.core.imap;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Quoted-printable decoding as a stream (RFC 2045 §6.7). Unlike Jakarta Mail's decoder it applies
 * rule 3: white space at the end of an encoded line is dropped, also between a soft line break's
 * {@code =} and the line end. Malformed escapes pass through as they are.
 */
final class QuotedPrintableInputStream extends FilterInputStream {

    /** Longest run of white space held back to see whether it ends a line. */
    private static final int MAX_SPACE_RUN = 1024;

    private final PushbackInputStream in;
    private final byte[] pending = new byte[MAX_SPACE_RUN + 2];
    private int pendingStart;
    private int pendingEnd;

    QuotedPrintableInputStream(InputStream raw) {
        super(raw);
        this.in = new PushbackInputStream(new java.io.BufferedInputStream(raw, 16 * 1024), MAX_SPACE_RUN + 2);
    }

    @Override
    public int read() throws IOException {
        while (pendingStart == pendingEnd) {
            pendingStart = 0;
            pendingEnd = 0;
            if (!decodeNext()) {
                return -1;
            }
        }
        return pending[pendingStart++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        // the source is a stored blob, not a socket: filling the whole buffer never waits on a peer
        while (n < len) {
            int c = read();
            if (c < 0) {
                return n == 0 ? -1 : n;
            }
            b[off + n++] = (byte) c;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long k = 0;
        while (k < n && read() >= 0) {
            k++;
        }
        return k;
    }

    @Override
    public int available() {
        return pendingEnd - pendingStart;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Decodes the next token into {@link #pending}; false at the end of the input. */
    private boolean decodeNext() throws IOException {
        int c = in.read();
        if (c < 0) {
            return false;
        }
        if (c == '=') {
            int h = in.read();
            int l = h < 0 ? -1 : in.read();
            if (hex(h) >= 0 && hex(l) >= 0) {
                emit(hex(h) << 4 | hex(l));
                return true;
            }
            unread(l);
            unread(h);
            int run = readSpaces(0);
            if (atLineEnd(true)) {
                return true; // soft line break: '=', optional white space, the line end; nothing is output
            }
            for (int i = run - 1; i >= 0; i--) {
                in.unread(spaces[i]);
            }
            emit('=');
            return true;
        }
        if (c == ' ' || c == '\t') {
            spaces[0] = (byte) c;
            int run = readSpaces(1);
            if (run < MAX_SPACE_RUN && atLineEnd(false)) {
                return true; // trailing white space of an encoded line is not data
            }
            System.arraycopy(spaces, 0, pending, 0, run);
            pendingEnd = run;
            return true;
        }
        emit(c);
        return true;
    }

    private final byte[] spaces = new byte[MAX_SPACE_RUN];

    /** Reads SP and HT into {@link #spaces} from {@code from} on; the count held. */
    private int readSpaces(int from) throws IOException {
        int n = from;
        while (n < MAX_SPACE_RUN) {
            int c = in.read();
            if (c != ' ' && c != '\t') {
                unread(c);
                break;
            }
            spaces[n++] = (byte) c;
        }
        return n;
    }

    /** True when the input is at CRLF, LF or its end; the line end is consumed only when {@code consume}. */
    private boolean atLineEnd(boolean consume) throws IOException {
        int c = in.read();
        if (c < 0) {
            return true;
        }
        boolean end = c == '\n';
        if (c == '\r') {
            int n = in.read();
            end = n == '\n';
            if (!end || !consume) {
                unread(n);
            }
        }
        if (!end || !consume) {
            unread(c);
        }
        return end;
    }

    private void unread(int c) throws IOException {
        if (c >= 0) {
            in.unread(c);
        }
    }

    private void emit(int b) {
        pending[pendingEnd++] = (byte) b;
    }

    private static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
