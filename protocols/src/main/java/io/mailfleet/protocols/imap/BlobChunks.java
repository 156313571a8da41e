package io.mailfleet.protocols.imap;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.protocols.netty.OffLoopChunks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A byte range of a blob read chunk by chunk; the blob is opened only when the first chunk is read,
 * so a FETCH of many messages holds one open stream at a time. Written to the socket through
 * {@link OffLoopChunks}: every open and read runs off the event loop.
 */
final class BlobChunks implements OffLoopChunks.Source {
    private static final int CHUNK = 16 * 1024;

    /** Opens the bytes to send, positioned at their start. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    private final Opener opener;
    private final String name;
    private final long length;
    private InputStream in;
    private long sent;

    BlobChunks(BlobStore blobs, BlobRef ref, long offset, long length) {
        this(() -> blobs.openRange(ref, offset, length), ref.id(), length);
    }

    /** {@code length} bytes of what {@code opener} opens (e.g. a decoding stream for BINARY). */
    BlobChunks(Opener opener, String name, long length) {
        this.opener = opener;
        this.name = name;
        this.length = length;
    }

    /** What to hand to the channel: these bytes, read off its event loop. */
    OffLoopChunks on(Channel channel) {
        return new OffLoopChunks(this, channel, length);
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }

    @Override
    public ByteBuf read(ByteBufAllocator allocator) throws IOException {
        if (sent >= length) {
            return null;
        }
        if (in == null) {
            in = opener.open();
        }
        int want = (int) Math.min(CHUNK, length - sent);
        ByteBuf b = allocator.buffer(want);
        boolean ok = false;
        try {
            int n = b.writeBytes(in, want);
            if (n < 0) {
                throw new EOFException("message " + name + " is shorter than recorded");
            }
            sent += n;
            ok = true;
            return b;
        } finally {
            if (!ok) {
                b.release();
            }
        }
    }
}
