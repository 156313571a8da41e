package io.mailfleet.server.scan;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard every scanner call goes through: time-out, concurrency limit, circuit breaker, counts. */
class ScannerGuardTest {

    private static ScanFailure failure(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertTrue(e.getCause() instanceof ScanFailure, e.toString());
        return (ScanFailure) e.getCause();
    }

    @Test
    void aCallWithoutAnswerTimesOutAndIsCounted() {
        ScannerGuard guard = new ScannerGuard("t", Duration.ofMillis(200), 4, 5, Duration.ofHours(1));
        CompletableFuture<String> never = new CompletableFuture<>();
        CompletableFuture<String> call = guard.call(() -> never);
        assertEquals(ScanFailure.Kind.TIMEOUT, failure(call).kind());
        assertTrue(never.isCompletedExceptionally(), "the scanner's own future is completed, so it drops its connection");
        assertEquals(1, guard.stats().calls(ScannerStats.Outcome.TIMEOUT));
    }

    @Test
    void callsOverTheLimitFailAtOnceAndFreeSlotsAreReused() {
        ScannerGuard guard = new ScannerGuard("t", Duration.ofMinutes(1), 1, 5, Duration.ofHours(1));
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> running = guard.call(() -> first);
        AtomicInteger asked = new AtomicInteger();
        CompletableFuture<String> second = guard.call(() -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture("no");
        });
        assertEquals(ScanFailure.Kind.BUSY, failure(second).kind());
        assertEquals(0, asked.get());
        first.complete("ok");
        assertEquals("ok", running.join());
        assertEquals("again", guard.call(() -> CompletableFuture.completedFuture("again")).join());
        assertEquals(2, guard.stats().calls(ScannerStats.Outcome.ANSWERED));
        assertEquals(1, guard.stats().calls(ScannerStats.Outcome.BUSY));
    }

    @Test
    void consecutiveFailuresOpenTheCircuitAndOneProbeClosesIt() throws Exception {
        ScannerGuard guard = new ScannerGuard("t", Duration.ofMinutes(1), 4, 3, Duration.ofMillis(300));
        AtomicInteger asked = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertEquals(ScanFailure.Kind.ERROR, failure(guard.call(() -> {
                asked.incrementAndGet();
                return CompletableFuture.failedFuture(new java.io.IOException("connection refused"));
            })).kind());
        }
        assertTrue(guard.stats().circuitOpen());
        assertEquals(ScanFailure.Kind.CIRCUIT_OPEN, failure(guard.call(() -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture("x");
        })).kind());
        assertEquals(3, asked.get(), "an open circuit does not call the scanner");

        // half-open once the open time is over: one probe goes through while others still fail at once
        CompletableFuture<String> probe = new CompletableFuture<>();
        CompletableFuture<String> probing = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (probing == null && System.nanoTime() < deadline) {
            CompletableFuture<String> attempt = guard.call(() -> probe);
            if (attempt.isCompletedExceptionally()) {
                assertEquals(ScanFailure.Kind.CIRCUIT_OPEN, failure(attempt).kind());
                Thread.sleep(50);
            } else {
                probing = attempt;
            }
        }
        assertTrue(probing != null, "the circuit never let a probe through");
        assertEquals(ScanFailure.Kind.CIRCUIT_OPEN,
                failure(guard.call(() -> CompletableFuture.completedFuture("x"))).kind());
        probe.complete("ok");
        assertEquals("ok", probing.join());
        assertTrue(!guard.stats().circuitOpen());
        assertEquals("y", guard.call(() -> CompletableFuture.completedFuture("y")).join());
    }
}
