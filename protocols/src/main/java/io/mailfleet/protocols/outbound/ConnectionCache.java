package io.mailfleet.protocols.outbound;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Idle connections per destination (and TLS policy and login), reused for the next message after
 * an RSET; closed with QUIT after the idle timeout or when the cap is reached.
 */
final class ConnectionCache {

    private final int perDestination;
    private final Duration idleTimeout;
    private final Duration quitTimeout;
    private final Map<String, ArrayDeque<ClientConnection>> idle = new HashMap<>();
    private boolean closed;

    ConnectionCache(int perDestination, Duration idleTimeout, Duration quitTimeout) {
        this.perDestination = perDestination;
        this.idleTimeout = idleTimeout;
        this.quitTimeout = quitTimeout;
    }

    /** An idle open connection for the key, or null. */
    synchronized ClientConnection take(String key) {
        ArrayDeque<ClientConnection> q = idle.get(key);
        while (q != null && !q.isEmpty()) {
            ClientConnection c = q.pollLast();
            if (c.isOpen()) {
                return c;
            }
        }
        return null;
    }

    /** Keeps the connection for reuse, or says goodbye when the cache is full. */
    void offer(String key, ClientConnection c) {
        boolean kept = false;
        synchronized (this) {
            if (!closed && c.isOpen()) {
                ArrayDeque<ClientConnection> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
                if (q.size() < perDestination) {
                    q.addLast(c);
                    kept = true;
                }
            }
        }
        if (!kept) {
            c.quit(quitTimeout);
            return;
        }
        c.schedule(() -> expire(key, c), idleTimeout);
        c.onClose(() -> remove(key, c));
    }

    private void expire(String key, ClientConnection c) {
        if (remove(key, c)) {
            // QUIT blocks for its reply, so it must not run on the event loop that delivers it.
            java.util.concurrent.ForkJoinPool.commonPool().execute(() -> c.quit(quitTimeout));
        }
    }

    private synchronized boolean remove(String key, ClientConnection c) {
        ArrayDeque<ClientConnection> q = idle.get(key);
        boolean removed = q != null && q.remove(c);
        if (q != null && q.isEmpty()) {
            idle.remove(key);
        }
        return removed;
    }

    /** Closes every idle connection. */
    void closeAll() {
        java.util.List<ClientConnection> all = new java.util.ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
        }
        all.forEach(c -> c.quit(quitTimeout));
    }
}
