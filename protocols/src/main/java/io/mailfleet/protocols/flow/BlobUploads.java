package io.mailfleet.protocols.flow;

import io.mailfleet.core.blob.BlobWriter;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads one listener writes received messages to the blob store on, so store I/O never runs
 * on an event loop; each upload is paced by its own window.
 */
public final class BlobUploads implements AutoCloseable {

    /** Bytes of one message that may wait for the store before its client is read no further. */
    public static final int DEFAULT_WINDOW = 256 * 1024;

    private final ThreadPoolExecutor threads;
    private final Executor io;
    private final int window;

    /**
     * @param name    prefix of the thread names
     * @param threads at most this many uploads write at the same time; threads start on first use
     *                and end when idle
     */
    public BlobUploads(String name, int threads, int window) {
        AtomicInteger n = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.threads.allowCoreThreadTimeOut(true);
        // after close, the last steps of an upload (an abort on disconnect) still run, on the caller
        this.io = task -> {
            try {
                this.threads.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
        this.window = window;
    }

    /** Writes for {@code target} go through these threads from now on. */
    public PacedBlobWriter pace(BlobWriter target) {
        return new PacedBlobWriter(target, io, window);
    }

    /** Lets queued writes finish in the background; takes no new ones. */
    @Override
    public void close() {
        threads.shutdown();
    }
}
