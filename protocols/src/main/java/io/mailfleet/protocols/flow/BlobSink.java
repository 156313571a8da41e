package io.mailfleet.protocols.flow;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Writes a message's byte stream into a {@link BlobWriter} on the listener's upload threads, never
 * on an event loop or an actor thread: one write at a time, the next element asked for only once the
 * store has taken the last, so the store's pace is the stream's demand. Materializes to the stored
 * blob, completed once the upstream has finished and the blob is committed (fsynced); a failed write
 * fails it and the stream. A stream that fails or is cancelled before its end aborts the blob, after
 * the write running at that moment.
 */
public final class BlobSink extends AbstractGraphStageWithMaterializedValue<SinkShape<ByteString>,
        CompletionStage<BlobRef>> {

    private final Inlet<ByteString> in = Inlet.create("BlobSink.in");
    private final SinkShape<ByteString> shape = SinkShape.of(in);
    private final BlobWriter target;
    private final Executor io;

    /** @param target the store's writer, used only from {@code io}'s threads from now on */
    public BlobSink(BlobWriter target, Executor io) {
        this.target = target;
        this.io = io;
    }

    @Override
    public SinkShape<ByteString> shape() {
        return shape;
    }

    @Override
    public Pair<GraphStageLogic, CompletionStage<BlobRef>> createLogicAndMaterializedValuePair(Attributes attributes) {
        Logic logic = new Logic();
        return Pair.create(logic, logic.stored);
    }

    private final class Logic extends GraphStageLogic {

        private final CompletableFuture<BlobRef> stored = new CompletableFuture<>();
        private final AsyncCallback<Optional<Throwable>> written = createAsyncCallback(this::written);
        /** A write is running on {@link #io}; guarded by {@link #stored}. */
        private boolean writing;
        /** The stage stopped before the commit: the blob is aborted; guarded by {@link #stored}. */
        private boolean abandoned;
        /** The commit was handed to the store; guarded by {@link #stored}. */
        private boolean committing;
        /** A write was handed over and its callback has not been handled yet (stage-local). */
        private boolean awaitingWrite;
        private boolean upstreamFinished;
        private Throwable failure;

        Logic() {
            super(shape);
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    write(grab(in));
                }

                @Override
                public void onUpstreamFinish() {
                    upstreamFinished = true;
                    // with a write out, the stage stays to take its callback and commits then
                    if (!awaitingWrite) {
                        commit();
                    }
                }

                @Override
                public void onUpstreamFailure(Throwable cause) {
                    failure = cause;
                    failStage(cause);
                }
            });
        }

        @Override
        public void preStart() {
            // the stage ends itself: at the commit, or failed; not when its input closes with a write running
            setKeepGoing(true);
            pull(in);
        }

        private void write(ByteString bytes) {
            awaitingWrite = true;
            synchronized (stored) {
                writing = true;
            }
            io.execute(() -> {
                Throwable error = null;
                try {
                    // the array behind a ByteString made from one array, so the store may use it as such
                    ByteBuffer b = ByteBuffer.wrap(bytes.toArrayUnsafe());
                    while (b.hasRemaining()) {
                        target.write(b);
                    }
                } catch (IOException | RuntimeException e) {
                    error = e;
                }
                boolean abort;
                synchronized (stored) {
                    writing = false;
                    abort = abandoned;
                }
                if (abort) {
                    // the stage stopped while this write ran: the abort waited for it
                    abortQuietly();
                } else {
                    written.invoke(Optional.ofNullable(error));
                }
            });
        }

        private void written(Optional<Throwable> error) {
            awaitingWrite = false;
            if (error.isPresent()) {
                failure = error.get();
                failStage(failure);
            } else if (upstreamFinished) {
                commit();
            } else {
                pull(in);
            }
        }

        private void commit() {
            synchronized (stored) {
                committing = true;
            }
            io.execute(() -> {
                try {
                    target.commit().whenComplete((ref, e) -> {
                        if (e != null) {
                            stored.completeExceptionally(e);
                        } else {
                            stored.complete(ref);
                        }
                    });
                } catch (RuntimeException e) {
                    stored.completeExceptionally(e);
                }
            });
            completeStage();
        }

        @Override
        public void postStop() {
            boolean abortNow;
            synchronized (stored) {
                if (committing) {
                    return;
                }
                abandoned = true;
                abortNow = !writing;
            }
            stored.completeExceptionally(failure != null ? failure
                    : new IOException("the message stream stopped before its end"));
            if (abortNow) {
                io.execute(this::abortQuietly);
            }
        }

        private void abortQuietly() {
            try {
                target.abort();
            } catch (RuntimeException e) {
                // the blob is given up either way; the store's collection reclaims what is left
            }
        }
    }
}
