package io.mailfleet.protocols.imap;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A byte range of a blob written to the socket in chunks as the peer reads; the blob is opened only
 * when its turn comes, so a FETCH of many messages holds one open stream at a time.
 */
final class BlobChunks implements ChunkedInput<ByteBuf> {
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

    @Override
    public boolean isEndOfInput() {
        return sent >= length;
    }

    @Override
    public void close() throws Exception {
        if (in != null) {
            in.close();
        }
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (isEndOfInput()) {
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

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return sent;
    }
}
