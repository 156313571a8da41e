package io.mailfleet.core.ratelimit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two-window estimate: refusals are not counted, a burst is not forgotten at the boundary, idle windows end. */
class SlidingWindowTest {

    private static final long MINUTE = 60_000;

    @Test
    void countsUpToTheMaximumAndRefusalsAreNotCounted() {
        long t = 10 * MINUTE;
        SlidingWindow w = new SlidingWindow(MINUTE, t);
        assertTrue(w.tryAdd(t, 1, 3));
        assertTrue(w.tryAdd(t + 1, 1, 3));
        assertTrue(w.tryAdd(t + 2, 1, 3));
        assertFalse(w.tryAdd(t + 3, 1, 3));
        assertFalse(w.tryAdd(t + 4, 1, 3));
        assertEquals(3, w.count(t + 5));
    }

    @Test
    void aBurstJustBeforeTheBoundaryStillCountsJustAfterIt() {
        long end = 11 * MINUTE;
        SlidingWindow w = new SlidingWindow(MINUTE, end - 100);
        for (int i = 0; i < 3; i++) {
            assertTrue(w.tryAdd(end - 100 + i, 1, 3));
        }
        assertFalse(w.tryAdd(end + 500, 1, 3), "the previous window still weighs (rounded up)");
        assertEquals(2, w.count(end + MINUTE / 2), "half a window later half of it remains, rounded up");
        assertTrue(w.tryAdd(end + MINUTE / 2, 1, 3));
        assertEquals(1, w.count(end + MINUTE + MINUTE - 1) , "the previous window has slid out almost entirely");
        assertTrue(w.idle(end + 3 * MINUTE));
    }
}
