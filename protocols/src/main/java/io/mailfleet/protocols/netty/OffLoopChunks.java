package io.mailfleet.protocols.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link ChunkedInput} whose chunks are read on {@link BlockingReads}, never on the event loop:
 * when the {@link ChunkedWriteHandler} asks for a chunk that is not read yet, the read is started
 * off the loop and the handler is suspended; when the bytes arrive, the loop resumes the transfer.
 * One chunk is read ahead while the previous one is written, and none while the channel is not
 * writable (the handler does not ask then), so a large message is never held in memory and a slow
 * reader or a slow store holds up only its own connection. Everything but the read itself runs
 * on the channel's event loop.
 */
public final class OffLoopChunks implements ChunkedInput<ByteBuf> {

    /** The bytes to send, read with blocking calls (opened on the first read). */
    public interface Source {
        /** The next chunk, or null at the end. */
        ByteBuf read(ByteBufAllocator allocator) throws IOException;

        /** Frees what the source holds (an open stream); called once, off the loop. */
        void close() throws IOException;
    }

    private final Source source;
    private final Channel channel;
    private final Executor executor;
    private final long length;
    private ByteBuf ready;
    private Throwable failure;
    private boolean reading;
    private boolean sourceEnded;
    private boolean closed;
    private boolean sourceClosed;
    private long progress;

    /**
     * @param length the bytes {@code source} yields, or -1 when not known
     */
    public OffLoopChunks(Source source, Channel channel, long length) {
        this(source, channel, length, BlockingReads.executor());
    }

    OffLoopChunks(Source source, Channel channel, long length, Executor executor) {
        this.source = source;
        this.channel = channel;
        this.length = length;
        this.executor = executor;
    }

    @Override
    public boolean isEndOfInput() {
        return sourceEnded && ready == null && failure == null;
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
        if (failure != null) {
            Throwable t = failure;
            failure = null;
            sourceEnded = true;
            throw t instanceof Exception e ? e : new IOException(t);
        }
        if (ready != null) {
            ByteBuf b = ready;
            ready = null;
            progress += b.readableBytes();
            if (!sourceEnded) {
                readAhead(allocator);
            }
            return b;
        }
        if (!sourceEnded) {
            readAhead(allocator);
        }
        return null;
    }

    private void readAhead(ByteBufAllocator allocator) {
        if (reading || closed) {
            return;
        }
        reading = true;
        try {
            executor.execute(() -> {
                ByteBuf b = null;
                Throwable t = null;
                try {
                    b = source.read(allocator);
                } catch (Throwable e) {
                    t = e;
                }
                ByteBuf chunk = b;
                Throwable err = t;
                try {
                    channel.eventLoop().execute(() -> arrived(chunk, err));
                } catch (RejectedExecutionException gone) {
                    // the loop is shut down with its channel: nobody will write these bytes
                    release(chunk);
                    closeSource();
                }
            });
        } catch (RejectedExecutionException e) {
            reading = false;
            failure = e;
        }
    }

    /** On the loop: a read came back. */
    private void arrived(ByteBuf chunk, Throwable err) {
        reading = false;
        if (closed) {
            release(chunk);
            closeSourceOffLoop();
            return;
        }
        if (err != null) {
            failure = err;
        } else if (chunk == null) {
            sourceEnded = true;
        } else {
            ready = chunk;
        }
        ChunkedWriteHandler writer = channel.pipeline().get(ChunkedWriteHandler.class);
        if (writer != null) {
            writer.resumeTransfer();
        }
    }

    @Override
    public void close() {
        // Called by the handler on the loop: at the end, on failure, or when the channel closes.
        if (closed) {
            return;
        }
        closed = true;
        release(ready);
        ready = null;
        if (!reading) {
            closeSourceOffLoop();
        }
    }

    private void closeSourceOffLoop() {
        try {
            executor.execute(this::closeSource);
        } catch (RejectedExecutionException e) {
            closeSource();
        }
    }

    private synchronized void closeSource() {
        if (sourceClosed) {
            return;
        }
        sourceClosed = true;
        try {
            source.close();
        } catch (IOException | RuntimeException e) {
            // nothing the peer can be told any more; the stream is dropped either way
        }
    }

    private static void release(ByteBuf b) {
        if (b != null) {
            b.release();
        }
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return progress;
    }
}
