package io.mailfleet.protocols.outbound;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** At most N deliveries in flight per destination; later ones wait in FIFO order without a thread. */
final class DestinationLimiter {

    private final int limit;
    private final Map<String, State> states = new HashMap<>();

    DestinationLimiter(int limit) {
        this.limit = limit;
    }

    synchronized CompletableFuture<Void> acquire(String destination) {
        State s = states.computeIfAbsent(destination, d -> new State());
        if (s.active < limit) {
            s.active++;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        s.waiting.add(waiter);
        return waiter;
    }

    void release(String destination) {
        CompletableFuture<Void> next;
        synchronized (this) {
            State s = states.get(destination);
            next = s.waiting.poll();
            if (next == null) {
                s.active--;
                if (s.active == 0) {
                    states.remove(destination);
                }
            }
        }
        if (next != null) {
            next.complete(null);
        }
    }

    synchronized int waiting(String destination) {
        State s = states.get(destination);
        return s == null ? 0 : s.waiting.size();
    }

    private static final class State {
        int active;
        final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    }
}
