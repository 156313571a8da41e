package io.mailfleet.protocols.pop3;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.protocols.netty.OffLoopChunks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;

import java.io.IOException;
import java.io.InputStream;

/**
 * A message as a POP3 multi-line response, read from the blob store chunk by chunk as the peer
 * reads: lines starting with "." are byte-stuffed, bare LF become CRLF, an unterminated last line is
 * terminated, and ".CRLF" ends it. With a line limit (TOP) it stops after the header, the blank line
 * and that many body lines. The blob is opened only when the first chunk is requested; written to
 * the socket through {@link OffLoopChunks}, so every open and read runs off the event loop.
 */
final class MessageChunks implements OffLoopChunks.Source {
    private static final int CHUNK = 16 * 1024;
    private static final byte[] TERMINATOR = {'.', '\r', '\n'};

    private final BlobStore blobs;
    private final BlobRef ref;
    private final long bodyLineLimit;
    private final byte[] in = new byte[CHUNK];
    private InputStream stream;
    private boolean atLineStart = true;
    private boolean previousCr;
    private int lineLength;
    private boolean inBody;
    private long bodyLines;
    private boolean sourceDone;
    private boolean ended;

    /**
     * @param bodyLineLimit body lines to send after the header, or negative for the whole message
     */
    MessageChunks(BlobStore blobs, BlobRef ref, long bodyLineLimit) {
        this.blobs = blobs;
        this.ref = ref;
        this.bodyLineLimit = bodyLineLimit;
    }

    /** What to hand to the channel: the response, read off its event loop. */
    OffLoopChunks on(Channel channel) {
        return new OffLoopChunks(this, channel, -1);
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }

    @Override
    public ByteBuf read(ByteBufAllocator allocator) throws IOException {
        if (ended) {
            return null;
        }
        if (stream == null) {
            stream = blobs.open(ref);
        }
        ByteBuf out = allocator.buffer(CHUNK * 2 + 8);
        boolean ok = false;
        try {
            if (!sourceDone) {
                int n = stream.read(in, 0, in.length);
                if (n < 0) {
                    sourceDone = true;
                } else {
                    transform(n, out);
                }
            }
            if (sourceDone) {
                if (!atLineStart) {
                    out.writeByte('\r').writeByte('\n');
                }
                out.writeBytes(TERMINATOR);
                ended = true;
            }
            ok = true;
            return out;
        } finally {
            if (!ok) {
                out.release();
            }
        }
    }

    private void transform(int n, ByteBuf out) {
        for (int i = 0; i < n; i++) {
            byte b = in[i];
            if (b == '\n') {
                if (!previousCr) {
                    out.writeByte('\r');
                }
                out.writeByte('\n');
                endOfLine();
                if (sourceDone) {
                    return;
                }
                continue;
            }
            if (atLineStart && b == '.') {
                out.writeByte('.');
            }
            out.writeByte(b);
            atLineStart = false;
            previousCr = b == '\r';
            if (b != '\r') {
                lineLength++;
            }
        }
    }

    private void endOfLine() {
        if (inBody) {
            bodyLines++;
        } else if (lineLength == 0) {
            inBody = true;
        }
        atLineStart = true;
        previousCr = false;
        lineLength = 0;
        if (bodyLineLimit >= 0 && inBody && bodyLines >= bodyLineLimit) {
            sourceDone = true;
        }
    }
}
