package io.mailfleet.protocols.netty;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's threads for the blocking reads a protocol session needs (message bytes from the blob
 * store: with the S3 store each open is an HTTP GET). An event loop serves many connections, so it
 * never waits for one of them: it hands the read here and carries on; the bytes come back to the
 * loop. One bounded pool for every listener of the process, its threads named
 * {@code mailfleet-blob-read-N}, daemons created on demand and ended when idle.
 */
public final class BlockingReads {

    /**
     * Reads running at once: each waits on storage, not on a core, so more than the cores; few enough
     * that a burst of FETCHes cannot open thousands of object-store requests (the rest queue, one
     * per session at most, since a session reads one chunk at a time).
     */
    public static final int THREADS = 32;

    private BlockingReads() {
    }

    /** Lazily created on first use, so a process without mail listeners starts no threads. */
    private static final class Holder {
        static final ThreadPoolExecutor POOL = pool();

        private static ThreadPoolExecutor pool() {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor p = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "mailfleet-blob-read-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            p.allowCoreThreadTimeOut(true);
            return p;
        }
    }

    /** The shared executor. */
    public static Executor executor() {
        return Holder.POOL;
    }

    /** A blocking read that may throw. */
    @FunctionalInterface
    public interface Read<T> {
        T run() throws Exception;
    }

    /** Runs {@code read} on the shared executor; the stage fails with what it threw. */
    public static <T> CompletableFuture<T> submit(Read<T> read) {
        CompletableFuture<T> f = new CompletableFuture<>();
        executor().execute(() -> {
            try {
                f.complete(read.run());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }
}
