package io.mailfleet.server;

import io.mailfleet.core.service.GuardedTick;
import org.junit.jupiter.api.Test;

import java.lang.management.MemoryUsage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackgroundHealthTest {

    private static final long MIB = 1 << 20;

    @Test
    void aPoolAlmostFullAfterCollectionIsCriticallyLow() {
        assertEquals("memory critically low: Tenured Gen holds 250 of 256 MiB after garbage collection",
                BackgroundHealth.judge("Tenured Gen", new MemoryUsage(0, 250 * MIB, 256 * MIB, 256 * MIB), -1)
                        .orElseThrow());
        assertTrue(BackgroundHealth.judge("Tenured Gen", new MemoryUsage(0, 200 * MIB, 256 * MIB, 256 * MIB), -1)
                .isEmpty());
        // no maximum in the collection usage: the pool's own maximum counts
        assertTrue(BackgroundHealth.judge("G1 Old Gen", new MemoryUsage(0, 250 * MIB, 250 * MIB, -1), 256 * MIB)
                .isPresent());
        // never collected yet, or no maximum known: nothing to say
        assertTrue(BackgroundHealth.judge("Eden", new MemoryUsage(0, 0, 0, 256 * MIB), -1).isEmpty());
        assertTrue(BackgroundHealth.judge("Eden", new MemoryUsage(0, 10 * MIB, 10 * MIB, -1), -1).isEmpty());
    }

    @Test
    void aFailingTaskIsAProblemUntilItRecovers() {
        BackgroundHealth health = new BackgroundHealth();
        boolean[] fail = {true};
        GuardedTick tick = new GuardedTick("tls-certificate-watch", () -> {
            if (fail[0]) {
                throw new IllegalStateException("broken certificate");
            }
        });
        health.register(tick);
        tick.run();
        assertTrue(health.problems().stream().anyMatch(p -> p.startsWith("background task tls-certificate-watch"
                + " failing since ") && p.endsWith("java.lang.IllegalStateException: broken certificate")),
                health.problems().toString());
        fail[0] = false;
        tick.run();
        assertTrue(health.problems().stream().noneMatch(p -> p.contains("tls-certificate-watch")));
    }

    @org.junit.jupiter.api.Test
    void onlyTheOldGenerationIsJudged() {
        java.util.List<String> judged = new java.util.ArrayList<>();
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (BackgroundHealth.tenured(pool)) {
                judged.add(pool.getName());
            }
        }
        assertTrue(judged.stream().noneMatch(n -> n.contains("Survivor") || n.contains("Eden")), judged.toString());
        assertTrue(judged.stream().anyMatch(n -> n.contains("Old") || n.contains("Tenured")), judged.toString());
    }
}
