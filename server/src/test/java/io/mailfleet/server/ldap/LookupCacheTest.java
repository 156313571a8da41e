package io.mailfleet.server.ldap;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-node LDAP answer cache: TTL on a test clock, the size bound, failures never kept, fetches joined. */
class LookupCacheTest {

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger fetches = new AtomicInteger();

    private CompletableFuture<String> fetch(String value) {
        fetches.incrementAndGet();
        return CompletableFuture.completedFuture(value);
    }

    @Test
    void anAnswerIsReusedUntilItsTtlThenAskedAgain() {
        LookupCache<String> cache = new LookupCache<>(Duration.ofSeconds(60), 10, now::get);
        assertEquals("a", cache.get("k", () -> fetch("a")).join());
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertEquals("a", cache.get("k", () -> fetch("b")).join());
        assertEquals(1, fetches.get());
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals("b", cache.get("k", () -> fetch("b")).join());
        assertEquals(2, fetches.get());
    }

    @Test
    void theLeastRecentlyUsedAnswerGoesWhenFull() {
        LookupCache<String> cache = new LookupCache<>(Duration.ofSeconds(60), 2, now::get);
        cache.get("a", () -> fetch("1")).join();
        cache.get("b", () -> fetch("2")).join();
        cache.get("a", () -> fetch("x")).join(); // a is now the most recent
        cache.get("c", () -> fetch("3")).join();
        assertEquals(2, cache.size());
        assertNull(cache.last("b"));
        assertEquals("1", cache.last("a"));
    }

    @Test
    void aFailureIsNotCachedAndAConcurrentAskJoinsTheRunningFetch() {
        LookupCache<String> cache = new LookupCache<>(Duration.ofSeconds(60), 10, now::get);
        CompletableFuture<String> pending = new CompletableFuture<>();
        CompletableFuture<String> first = cache.get("k", () -> pending);
        CompletableFuture<String> second = cache.get("k", () -> fetch("never"));
        assertSame(first, second);
        assertEquals(0, fetches.get());
        pending.completeExceptionally(new IllegalStateException("ldap down"));
        assertTrue(first.isCompletedExceptionally());
        assertEquals("up", cache.get("k", () -> fetch("up")).join());
        assertEquals(1, fetches.get());
    }
}
