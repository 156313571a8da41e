package io.mailfleet.protocols.flow;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A {@link BlobWriter} that hands its writes to another thread, in order, and has demand while
 * fewer than {@code window} bytes wait there: the session stops reading from the client when it
 * has none, so a slow store slows the client down instead of filling the heap or stalling the event
 * loop. Demand returns once half the window has drained, so a pause moves a good batch, not a few
 * bytes. A failed write is reported by the next {@link #write} and by {@link #commit()}.
 * Written to from one thread (the channel's event loop); the demand signal may come from any.
 */
public final class PacedBlobWriter implements BlobWriter, Demand {

    private final BlobWriter target;
    private final Executor io;
    private final long window;
    private long size;
    /** Committed, aborted or closed: no more writes are taken. */
    private boolean ended;
    /** Aborted: writes still queued are skipped. */
    private volatile boolean discarded;
    private volatile IOException failure;

    /** Steps for the store, run one after the other on {@link #io}; guarded by this. */
    private final ArrayDeque<Runnable> steps = new ArrayDeque<>();
    /** A drain of {@link #steps} is scheduled or running; guarded by this. */
    private boolean draining;
    /** Bytes queued and not yet written; guarded by this. */
    private long pending;
    /** Waiting for demand; guarded by this. */
    private Runnable signal;

    /**
     * @param target the store's writer, used only from {@code io}'s threads from now on
     * @param window bytes that may wait for the store before demand stops
     */
    public PacedBlobWriter(BlobWriter target, Executor io, long window) {
        this.target = target;
        this.io = io;
        this.window = window;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw failed;
        }
        if (ended) {
            throw new IOException("blob writer already committed or aborted");
        }
        int n = bytes.remaining();
        if (n == 0) {
            return;
        }
        // the caller reuses its buffer: what waits for the store is a copy
        ByteBuffer copy = ByteBuffer.allocate(n).put(bytes).flip();
        size += n;
        synchronized (this) {
            pending += n;
        }
        enqueue(() -> {
            try {
                if (failure == null && !discarded) {
                    while (copy.hasRemaining()) {
                        target.write(copy);
                    }
                }
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException(e.toString(), e);
            } finally {
                written(n);
            }
        });
    }

    private void enqueue(Runnable step) {
        boolean start;
        synchronized (this) {
            steps.add(step);
            start = !draining;
            draining = true;
        }
        if (start) {
            // one hand-over runs every step queued meanwhile, not one hand-over per write
            io.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Runnable step;
            synchronized (this) {
                step = steps.poll();
                if (step == null) {
                    draining = false;
                    return;
                }
            }
            step.run();
        }
    }

    private void written(int n) {
        Runnable run = null;
        synchronized (this) {
            pending -= n;
            if (pending <= window / 2 && signal != null && !discarded) {
                run = signal;
                signal = null;
            }
        }
        if (run != null) {
            run.run();
        }
    }

    @Override
    public synchronized boolean hasDemand() {
        return pending < window;
    }

    @Override
    public void onDemand(Runnable signal) {
        synchronized (this) {
            if (pending >= window) {
                this.signal = signal;
                return;
            }
            this.signal = null;
        }
        signal.run();
    }

    /** Bytes accepted so far (some may still be on their way to the store). */
    @Override
    public long size() {
        return size;
    }

    /** Commits once every queued write has reached the store; fails with the first write error. */
    @Override
    public CompletionStage<BlobRef> commit() {
        ended = true;
        CompletableFuture<BlobRef> done = new CompletableFuture<>();
        enqueue(() -> {
            IOException failed = failure;
            if (failed != null) {
                target.abort();
                done.completeExceptionally(failed);
                return;
            }
            try {
                target.commit().whenComplete((ref, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else {
                        done.complete(ref);
                    }
                });
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    @Override
    public Optional<InputStream> committedBytes() {
        return target.committedBytes();
    }

    /** Discards the blob after the step running now; writes still queued are skipped. */
    @Override
    public void abort() {
        // nobody is woken once aborted: the signal goes before the skip is visible to the store's
        // thread, which could otherwise drain the skipped writes and fire it in between
        synchronized (this) {
            signal = null;
            ended = true;
        }
        discarded = true;
        endWith(target::abort);
    }

    @Override
    public void close() {
        endWith(target::close);
    }

    private void endWith(Runnable last) {
        ended = true;
        synchronized (this) {
            signal = null;
        }
        enqueue(() -> {
            try {
                last.run();
            } catch (RuntimeException e) {
                // the blob is given up either way; the store's collection reclaims what is left
            }
        });
    }
}
