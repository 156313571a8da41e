package io.mailfleet.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeavyWorkGateTest {

    /** Work that records how many jobs run together, then waits for {@code release}. */
    private static final class Probe {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);

        String run(String id) throws InterruptedException {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS));
                return id;
            } finally {
                now.decrementAndGet();
            }
        }
    }

    /** Waits until the gate counts {@code n} running jobs and all of them are inside the probe. */
    private static void awaitRunning(HeavyWorkGate gate, Probe p, int n) throws InterruptedException {
        // A permit is taken before the job's thread enters the probe: releasing before both show n
        // would let a job start after another finished, and the probe would see fewer together.
        for (int i = 0; i < 3000 && (gate.running() < n || p.now.get() < n); i++) {
            Thread.sleep(10);
        }
        assertEquals(n, gate.running());
        assertEquals(n, p.now.get());
    }

    @Test
    void oneUserGetsAtMostItsShareAndTheRestWaits() throws Exception {
        try (HeavyWorkGate gate = new HeavyWorkGate(2, 4)) {
            Probe p = new Probe();
            List<CompletableFuture<String>> jobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String id = "a" + i;
                jobs.add(gate.submit("alice", () -> p.run(id)).toCompletableFuture());
            }
            awaitRunning(gate, p, 2);
            assertEquals(4, gate.waiting());
            // another account is not held up by alice's queue
            CompletableFuture<String> bob = gate.submit("bob", () -> "bob").toCompletableFuture();
            assertEquals("bob", bob.get(30, TimeUnit.SECONDS));
            p.release.countDown();
            for (int i = 0; i < 6; i++) {
                assertEquals("a" + i, jobs.get(i).get(30, TimeUnit.SECONDS));
            }
            assertEquals(2, p.max.get());
            assertEquals(0, gate.running());
            assertEquals(0, gate.waiting());
        }
    }

    @Test
    void theNodeLimitHoldsOverAllUsers() throws Exception {
        try (HeavyWorkGate gate = new HeavyWorkGate(2, 3)) {
            Probe p = new Probe();
            List<CompletableFuture<String>> jobs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String id = "u" + i;
                jobs.add(gate.submit(id, () -> p.run(id)).toCompletableFuture());
            }
            awaitRunning(gate, p, 3);
            assertEquals(7, gate.waiting());
            p.release.countDown();
            for (CompletableFuture<String> j : jobs) {
                j.get(30, TimeUnit.SECONDS);
            }
            assertEquals(3, p.max.get());
        }
    }

    @Test
    void anErrorFailsOnlyItsJobAndReleasesThePermit() throws Exception {
        try (HeavyWorkGate gate = new HeavyWorkGate(1, 1)) {
            CompletableFuture<Object> oom = gate.submit("alice", () -> {
                throw new OutOfMemoryError("Java heap space (simulated)");
            }).toCompletableFuture();
            ExecutionException e = assertThrows(ExecutionException.class, () -> oom.get(30, TimeUnit.SECONDS));
            assertInstanceOf(OutOfMemoryError.class, e.getCause());
            assertEquals("next", gate.submit("alice", () -> "next").toCompletableFuture().get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HeavyWorkGate(0, 4));
        assertThrows(IllegalArgumentException.class, () -> new HeavyWorkGate(2, 0));
    }
}
