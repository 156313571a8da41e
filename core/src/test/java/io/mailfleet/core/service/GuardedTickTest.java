package io.mailfleet.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuardedTickTest {

    @Test
    void aScheduleGoesOnAfterAnOutOfMemoryErrorAndReportsIt() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch afterFailure = new CountDownLatch(3);
            CountDownLatch failed = new CountDownLatch(1);
            GuardedTick tick = new GuardedTick("test-watch", () -> {
                int n = runs.incrementAndGet();
                if (n == 2) {
                    failed.countDown();
                    throw new OutOfMemoryError("Java heap space (simulated)");
                }
                if (n > 2) {
                    afterFailure.countDown();
                }
            });
            executor.scheduleWithFixedDelay(tick, 0, 10, TimeUnit.MILLISECONDS);
            assertTrue(failed.await(30, TimeUnit.SECONDS));
            assertTrue(afterFailure.await(30, TimeUnit.SECONDS), "the schedule was cancelled by the error");
            GuardedTick.Health h = tick.health();
            assertFalse(h.failing(), "a later successful tick clears the failure");
            assertEquals(1, h.failures());
            assertTrue(h.lastError().contains("OutOfMemoryError"), h.lastError());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aTaskThatKeepsFailingIsReportedFailing() {
        AtomicInteger runs = new AtomicInteger();
        GuardedTick tick = new GuardedTick("broken", () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("cannot read");
        });
        tick.run();
        tick.run();
        assertEquals(2, runs.get());
        assertTrue(tick.health().failing());
        assertEquals(2, tick.health().failures());
        assertEquals("broken", tick.health().name());
    }
}
