package io.mailfleet.server.fetchmail;

import io.mailfleet.cluster.fetchmail.RemoteMailPoller;
import io.mailfleet.core.fetchmail.FetchmailSource;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of this node's IMAP IDLE connections ({@link ImapIdleWatch}): one thread per watched source
 * for as long as it idles (a connection blocked in a read for minutes must not hold a thread of the
 * shared blocking dispatcher the polls and imports run on), and one timer thread that only schedules.
 * Daemon threads; closing ends the pools, the watches themselves are closed by their entities.
 */
final class IdleConnections implements AutoCloseable {

    /** RFC 2177: a client re-issues IDLE at least every 29 minutes; this leaves room for a slow server. */
    static final Duration RENEW_EVERY = Duration.ofMinutes(25);

    private final Duration renewEvery;
    private final ExecutorService threads = Executors.newCachedThreadPool(daemons("fetchmail-idle-"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemons("fetchmail-idle-timer-"));

    IdleConnections(Duration renewEvery) {
        this.renewEvery = renewEvery;
    }

    /** Starts watching {@code source}'s folder; returns at once. */
    ImapIdleWatch watch(FetchmailSource source, RemoteMailPoller.WatchListener listener) {
        return ImapIdleWatch.start(source, listener, renewEvery, threads, timer);
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        threads.shutdownNow();
    }
}
