package io.mailfleet.server.scan;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that stream stored messages to the scanners: blocking blob reads and socket writes,
 * never on an event loop. Not the shared blob-read pool: a slow scanner must not hold up IMAP FETCHes.
 * Each {@link ScannerGuard} bounds its calls, so the pool only grows to the sum of their limits.
 */
final class ScanThreads {

    private ScanThreads() {
    }

    private static final class Holder {
        static final ExecutorService POOL = pool();

        private static ExecutorService pool() {
            AtomicInteger n = new AtomicInteger();
            return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "mailfleet-scan-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    static ExecutorService executor() {
        return Holder.POOL;
    }
}
