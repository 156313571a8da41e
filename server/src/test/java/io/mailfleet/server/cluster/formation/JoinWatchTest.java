package io.mailfleet.server.cluster.formation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JoinWatchTest {

    private static final String A = "pekko://mailfleet@10.0.0.11:7355";
    private static final String B = "pekko://mailfleet@10.0.0.12:7355";
    private static final String C = "pekko://mailfleet@10.0.0.13:7355";

    private final AtomicReference<List<String>> live = new AtomicReference<>(List.of(B, C));
    private final AtomicBoolean joined = new AtomicBoolean();
    private final List<List<String>> joins = new ArrayList<>();
    private final JoinWatch watch = new JoinWatch(A, List.of(A, B), () -> {
        List<String> now = live.get();
        if (now == null) {
            throw new java.sql.SQLException("connection refused");
        }
        return now;
    }, joined::get, joins::add);

    @Test
    void whileRunningMembersHoldTheLockItKeepsWaitingForThem() {
        assertFalse(watch.tick());
        live.set(List.of(C));
        assertFalse(watch.tick());
        assertEquals(List.of(), joins);
    }

    @Test
    void whenTheyHaveAllStoppedItJoinsThroughTheConfiguredSeedsOnce() {
        assertFalse(watch.tick());
        live.set(List.of(A)); // only this node's own earlier incarnation
        assertTrue(watch.tick());
        assertTrue(watch.tick());
        assertEquals(List.of(List.of(A, B)), joins);
    }

    @Test
    void anUnreachableDatabaseSaysNothingAboutTheClusterSoItKeepsWaiting() {
        live.set(null);
        assertFalse(watch.tick());
        assertEquals(List.of(), joins);
    }

    @Test
    void onceAMemberThereIsNothingLeftToWatch() {
        joined.set(true);
        live.set(List.of());
        assertTrue(watch.tick());
        assertEquals(List.of(), joins);
    }
}
