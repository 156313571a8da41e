package io.mailfleet.cluster.mailbox;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mailbox's snapshot interval grows with its size, on a ladder of doublings. */
class SnapshotPolicyTest {

    @Test
    void aSmallMailboxSnapshotsEvery500Events() {
        assertEquals(500, SnapshotPolicy.interval(0));
        assertEquals(500, SnapshotPolicy.interval(9_999));
        assertTrue(SnapshotPolicy.due(500, 3));
        assertTrue(SnapshotPolicy.due(1_000, 3));
        assertFalse(SnapshotPolicy.due(501, 3));
    }

    @Test
    void theIntervalDoublesWithEveryDoublingOfTheMessagesPastTenThousand() {
        assertEquals(1_000, SnapshotPolicy.interval(10_000));
        assertEquals(1_000, SnapshotPolicy.interval(19_999));
        assertEquals(2_000, SnapshotPolicy.interval(20_000));
        assertEquals(64_000, SnapshotPolicy.interval(1_000_000));
        assertFalse(SnapshotPolicy.due(500, 20_000), "a big mailbox skips the small mailbox's snapshots");
        assertTrue(SnapshotPolicy.due(4_000, 20_000));
    }

    @Test
    void everySnapshotOfABigMailboxIsOneOfASmallerOnesToo() {
        // a multiple of a larger interval is a multiple of every smaller one: however the size moved
        // between restarts, the replay after the latest snapshot is at most one interval long
        for (long messages = 0; messages < 2_000_000; messages += 7_919) {
            long interval = SnapshotPolicy.interval(messages);
            assertEquals(0, interval % SnapshotPolicy.MIN_INTERVAL, "interval " + interval);
            assertEquals(interval, Long.highestOneBit(interval / SnapshotPolicy.MIN_INTERVAL) * SnapshotPolicy.MIN_INTERVAL);
            assertTrue(interval <= Math.max(SnapshotPolicy.MIN_INTERVAL, messages / SnapshotPolicy.MESSAGES_PER_EVENT));
        }
    }
}
