package io.mailfleet.core.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The IMAP HEADER.FIELDS / HEADER.FIELDS.NOT selection of a header section as a stream, produced
 * while the header is read: memory is one field name and a small buffer however large the header,
 * so a FETCH of the selection can be counted in one pass and sent in a second.
 */
final class HeaderSelectionStream extends InputStream {

    private static final int MAX_NAME = 1000;

    private final InputStream src;
    /** Source bytes read ahead (the source is read in blocks, never a byte at a time). */
    private final byte[] in = new byte[8192];
    private int inPos;
    private int inLen;
    private final Set<String> wanted = new HashSet<>();
    private final boolean not;
    private final byte[] prefix = new byte[MAX_NAME + 1];
    private int prefixLen;
    private boolean lineStart = true;
    private boolean inName;
    private boolean emitting;
    private boolean ended;
    /** Output produced but not yet read. */
    private byte[] pending = new byte[MAX_NAME + 8];
    private int pendingPos;
    private int pendingLen;

    HeaderSelectionStream(InputStream in, Collection<String> names, boolean not) {
        for (String n : names) {
            wanted.add(n.trim().toLowerCase(Locale.ROOT));
        }
        this.not = not;
        this.src = in;
    }

    @Override
    public int read() throws IOException {
        while (pendingPos == pendingLen) {
            if (ended) {
                return -1;
            }
            produce();
        }
        return pending[pendingPos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (pendingPos == pendingLen) {
                if (ended) {
                    break;
                }
                if (n > 0 && inPos == inLen) {
                    break;
                }
                produce();
                continue;
            }
            int k = Math.min(len - n, pendingLen - pendingPos);
            System.arraycopy(pending, pendingPos, b, off + n, k);
            pendingPos += k;
            n += k;
        }
        return n == 0 && ended ? -1 : n;
    }

    @Override
    public void close() throws IOException {
        src.close();
    }

    /** Reads source bytes until some output is pending or the selection ended. */
    private void produce() throws IOException {
        pendingPos = 0;
        pendingLen = 0;
        while (pendingLen == 0 && !ended) {
            if (inPos == inLen) {
                inLen = src.read(in, 0, in.length);
                inPos = 0;
                if (inLen < 0) {
                    inLen = 0;
                    finish();
                    return;
                }
                continue;
            }
            step(in[inPos++] & 0xff);
        }
    }

    private void step(int b) {
        if (lineStart) {
            lineStart = false;
            if (b == ' ' || b == '\t') {
                if (emitting) {
                    emit(b);
                }
                return;
            }
            inName = true;
            prefixLen = 0;
        }
        if (inName) {
            if (b == '\n') {
                inName = false;
                lineStart = true;
                emitting = false;
                if (prefixLen == 0 || prefixLen == 1 && prefix[0] == '\r') {
                    lineStart = false; // the blank line: the header ended
                    finish();
                }
                return;
            }
            prefix[prefixLen++] = (byte) b;
            if (b == ':') {
                inName = false;
                String name = new String(prefix, 0, prefixLen - 1, StandardCharsets.ISO_8859_1)
                        .trim().toLowerCase(Locale.ROOT);
                emitting = !name.isEmpty() && wanted.contains(name) != not;
                if (emitting) {
                    System.arraycopy(prefix, 0, pending, pendingLen, prefixLen);
                    pendingLen += prefixLen;
                }
            } else if (prefixLen > MAX_NAME) {
                inName = false;
                emitting = false;
            }
            return;
        }
        if (emitting) {
            emit(b);
        }
        if (b == '\n') {
            lineStart = true;
        }
    }

    private void emit(int b) {
        pending[pendingLen++] = (byte) b;
    }

    private void finish() {
        if (emitting && !lineStart) {
            // a header cut before its final line end: keep the selection well-formed
            emit('\r');
            emit('\n');
        }
        emit('\r');
        emit('\n');
        ended = true;
    }
}
