package io.mailfleet.core.service;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs expensive per-command work (IMAP SEARCH over message content, SORT, THREAD) with bounded
 * concurrency: at most {@code perUser} jobs of one account and {@code perNode} jobs in all run at
 * once; the rest wait in arrival order. Waiting holds no thread: a job is a {@link CompletionStage}
 * that completes when its turn came and it ran, so a protocol session simply stays busy meanwhile.
 * Jobs run on the gate's own threads (one per node permit), never on an event loop.
 */
public final class HeavyWorkGate implements AutoCloseable {

    /** Defaults: two heavy commands per account, four per node. */
    public static final int DEFAULT_PER_USER = 2;
    public static final int DEFAULT_PER_NODE = 4;

    private record Job(String user, Callable<?> work, CompletableFuture<Object> result) {
    }

    private final int perUser;
    private final int perNode;
    private final Executor executor;
    private final ExecutorService ownExecutor;
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private final Map<String, Integer> runningByUser = new HashMap<>();
    private int running;

    /** A gate running jobs on its own daemon threads, created on demand and ended when idle. */
    public HeavyWorkGate(int perUser, int perNode) {
        this(perUser, perNode, null);
    }

    /** A gate running jobs on {@code executor} ({@code null}: its own threads). */
    public HeavyWorkGate(int perUser, int perNode, Executor executor) {
        if (perUser < 1 || perNode < 1) {
            throw new IllegalArgumentException("heavy command limits must be at least 1, got " + perUser
                    + " per user and " + perNode + " per node");
        }
        this.perUser = perUser;
        this.perNode = perNode;
        if (executor == null) {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(perNode, perNode, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "mailfleet-heavy-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            this.ownExecutor = pool;
            this.executor = pool;
        } else {
            this.ownExecutor = null;
            this.executor = executor;
        }
    }

    public int perUser() {
        return perUser;
    }

    public int perNode() {
        return perNode;
    }

    /**
     * Runs {@code work} for {@code user} once a permit of both kinds is free; the stage fails with what
     * the work threw (an {@link Error} too: it ends this job, not the thread or the gate).
     */
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<T> submit(String user, Callable<T> work) {
        Job job = new Job(user, work, new CompletableFuture<>());
        synchronized (this) {
            waiting.addLast(job);
        }
        dispatch();
        return (CompletionStage<T>) job.result;
    }

    /** Jobs waiting for a permit now (for metrics and tests). */
    public synchronized int waiting() {
        return waiting.size();
    }

    /** Jobs running now. */
    public synchronized int running() {
        return running;
    }

    private void dispatch() {
        while (true) {
            Job next = null;
            synchronized (this) {
                if (running >= perNode) {
                    return;
                }
                for (Iterator<Job> it = waiting.iterator(); it.hasNext(); ) {
                    Job j = it.next();
                    if (runningByUser.getOrDefault(j.user, 0) < perUser) {
                        it.remove();
                        next = j;
                        break;
                    }
                }
                if (next == null) {
                    return;
                }
                running++;
                runningByUser.merge(next.user, 1, Integer::sum);
            }
            start(next);
        }
    }

    private void start(Job job) {
        try {
            executor.execute(() -> run(job));
        } catch (RuntimeException e) {
            // rejected (the gate is closing): the job fails instead of leaking its permits
            release(job);
            job.result.completeExceptionally(e);
        }
    }

    private void run(Job job) {
        Object value = null;
        Throwable failure = null;
        try {
            value = job.work.call();
        } catch (Throwable t) {
            // an OutOfMemoryError in one search must not kill the thread or keep its permits
            failure = t;
        }
        release(job);
        if (failure != null) {
            job.result.completeExceptionally(failure);
        } else {
            job.result.complete(value);
        }
        dispatch();
    }

    private synchronized void release(Job job) {
        running--;
        runningByUser.computeIfPresent(job.user, (u, n) -> n <= 1 ? null : n - 1);
    }

    @Override
    public void close() {
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }
}
