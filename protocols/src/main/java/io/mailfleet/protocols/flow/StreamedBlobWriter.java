package io.mailfleet.protocols.flow;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import org.apache.pekko.util.ByteString;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The {@link BlobWriter} a session writes one received message into: each write enters the message's
 * stream ({@link ChannelSource} to {@link BlobSink}), {@link #commit()} ends the stream and answers
 * with the stored blob, {@link #abort()} fails it (the partial blob is deleted). Its {@link Demand} is
 * the stream's. A failed store write is reported by the next {@link #write} and by {@link #commit()}.
 * Used from one thread, the channel's event loop.
 */
public final class StreamedBlobWriter implements BlobWriter, Demand {

    private final ChannelSource.Intake intake;
    private final CompletableFuture<BlobRef> stored;
    private long size;
    /** Committed or aborted: no more writes are taken. */
    private boolean ended;

    StreamedBlobWriter(ChannelSource.Intake intake, CompletionStage<BlobRef> stored) {
        this.intake = intake;
        this.stored = stored.toCompletableFuture();
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        if (ended) {
            throw new IOException("blob writer already committed or aborted");
        }
        failIfStopped();
        int n = bytes.remaining();
        if (n == 0) {
            return;
        }
        // the caller reuses its buffer: what travels down the stream is a copy
        byte[] copy = new byte[n];
        bytes.get(copy);
        if (!intake.offer(ByteString.fromArrayUnsafe(copy))) {
            failIfStopped();
            throw new IOException("the message stream has stopped");
        }
        size += n;
    }

    private void failIfStopped() throws IOException {
        if (stored.isCompletedExceptionally()) {
            try {
                stored.join();
            } catch (CompletionException | CancellationException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
            }
        }
    }

    @Override
    public boolean hasDemand() {
        return intake.hasDemand();
    }

    @Override
    public void onDemand(Runnable signal) {
        intake.onDemand(signal);
    }

    /** Bytes accepted so far (some may still be on their way to the store). */
    @Override
    public long size() {
        return size;
    }

    /** Ends the stream; completes once every byte has reached the store and the blob is fsynced. */
    @Override
    public CompletionStage<BlobRef> commit() {
        ended = true;
        intake.complete();
        return stored;
    }

    /** Fails the stream: bytes still on their way are dropped and the blob is aborted. */
    @Override
    public void abort() {
        ended = true;
        intake.fail(new IOException("message discarded"));
    }

    @Override
    public void close() {
        if (!ended) {
            abort();
        }
    }
}
