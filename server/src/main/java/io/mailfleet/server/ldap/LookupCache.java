package io.mailfleet.server.ldap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * This node's read cache of an external source's answers: at most {@code maxEntries} keys (least
 * recently used dropped first), each reused for {@code ttl} after it was fetched, found or not. A key
 * asked for again while its fetch runs joins that fetch. Failures are not cached: the next question
 * asks the source again. A per-node cache of an external source is no cluster state: every node asks
 * the source itself and converges within one TTL.
 *
 * @param <V> the answer type (immutable)
 */
public final class LookupCache<V> {

    /** One cached answer and when it stops being fresh (in {@code clock} nanoseconds). */
    public record Cached<V>(V value, long freshUntil) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier clock;
    private final Map<String, Cached<V>> entries;
    private final Map<String, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

    public LookupCache(Duration ttl, int maxEntries) {
        this(ttl, maxEntries, System::nanoTime);
    }

    LookupCache(Duration ttl, int maxEntries, LongSupplier clock) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached<V>> eldest) {
                return size() > LookupCache.this.maxEntries;
            }
        };
    }

    /** The fresh answer for {@code key}, else the one {@code fetch} gives (then cached). */
    public CompletableFuture<V> get(String key, Supplier<CompletableFuture<V>> fetch) {
        Cached<V> c;
        synchronized (entries) {
            c = entries.get(key);
        }
        if (c != null && clock.getAsLong() - c.freshUntil() < 0) {
            return CompletableFuture.completedFuture(c.value());
        }
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        CompletableFuture<V> fetched;
        try {
            fetched = fetch.get();
        } catch (RuntimeException e) {
            fetched = CompletableFuture.failedFuture(e);
        }
        fetched.whenComplete((v, err) -> {
            if (err == null) {
                synchronized (entries) {
                    entries.put(key, new Cached<>(v, clock.getAsLong() + ttlNanos));
                }
                version.incrementAndGet();
            }
            inFlight.remove(key, mine);
            if (err != null) {
                mine.completeExceptionally(err);
            } else {
                mine.complete(v);
            }
        });
        return mine;
    }

    /** Replaces the answer held for {@code key}, keeping how long it stays fresh; nothing when none is held. */
    public void replace(String key, V value) {
        synchronized (entries) {
            Cached<V> c = entries.get(key);
            if (c == null) {
                return;
            }
            entries.put(key, new Cached<>(value, c.freshUntil()));
        }
        version.incrementAndGet();
    }

    /** The last answer for {@code key}, fresh or not, or null. */
    public V last(String key) {
        synchronized (entries) {
            Cached<V> c = entries.get(key);
            return c == null ? null : c.value();
        }
    }

    /** Every cached answer, fresh or stale, as a copy. */
    public List<Map.Entry<String, V>> snapshot() {
        synchronized (entries) {
            List<Map.Entry<String, V>> out = new ArrayList<>(entries.size());
            entries.forEach((k, c) -> out.add(Map.entry(k, c.value())));
            return out;
        }
    }

    /** Changes whenever an answer was stored; lets readers rebuild what they derive from {@link #snapshot()}. */
    public long version() {
        return version.get();
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
