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
    void callsOverTheLimitWaitInOrderForAFreeSlot() {
        ScannerGuard guard = new ScannerGuard("t", Duration.ofMinutes(1), 1, 2, 5, Duration.ofHours(1));
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> running = guard.call(() -> first);
        java.util.List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<String> secondAnswer = new CompletableFuture<>();
        CompletableFuture<String> second = guard.call(() -> {
            started.add("second");
            return secondAnswer;
        });
        CompletableFuture<String> third = guard.call(() -> {
            started.add("third");
            return CompletableFuture.completedFuture("3");
        });
        // the line holds two: a fourth fails at once without being asked
        AtomicInteger asked = new AtomicInteger();
        CompletableFuture<String> fourth = guard.call(() -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture("4");
        });
        assertEquals(ScanFailure.Kind.BUSY, failure(fourth).kind());
        assertEquals(0, asked.get());
        assertTrue(started.isEmpty(), "nobody starts while the one slot is taken");
        assertTrue(!second.isDone() && !third.isDone());
        first.complete("1");
        assertEquals("1", running.join());
        assertEquals(java.util.List.of("second"), started, "the slot goes to the oldest waiting call");
        secondAnswer.complete("2");
        assertEquals("2", second.join());
        assertEquals("3", third.join());
        assertEquals(java.util.List.of("second", "third"), started);
        assertEquals(3, guard.stats().calls(ScannerStats.Outcome.ANSWERED));
        assertEquals(1, guard.stats().calls(ScannerStats.Outcome.BUSY));
        // every slot is free again
        assertEquals("again", guard.call(() -> CompletableFuture.completedFuture("again")).join());
    }

    @Test
    void aCallThatWaitsOutTheTimeOutFailsAsBusyAndLeavesTheLine() {
        ScannerGuard guard = new ScannerGuard("t", Duration.ofMillis(300), 1, 5, 5, Duration.ofHours(1));
        // the slot is held by a call that times out; the next in line gets it and never answers either,
        // so the third waits out its own time-out in the line
        guard.call(CompletableFuture::new);
        CompletableFuture<String> second = guard.call(CompletableFuture::new);
        AtomicInteger asked = new AtomicInteger();
        CompletableFuture<String> third = guard.call(() -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture("late");
        });
        assertEquals(ScanFailure.Kind.BUSY, failure(third).kind());
        assertTrue(failure(third).getMessage().contains("no call slot became free"), failure(third).getMessage());
        assertEquals(ScanFailure.Kind.TIMEOUT, failure(second).kind());
        assertEquals(0, asked.get(), "a call that gave up waiting is never made");
        // the slot freed by the second call was not handed to the call that left the line
        assertEquals("next", guard.call(() -> CompletableFuture.completedFuture("next")).join());
        assertEquals(0, asked.get());
        assertEquals(2, guard.stats().calls(ScannerStats.Outcome.TIMEOUT));
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
