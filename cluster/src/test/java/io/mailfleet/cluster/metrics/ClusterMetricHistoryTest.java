package io.mailfleet.cluster.metrics;

import io.mailfleet.cluster.testkit.TestNodes;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes in one JVM (real Artery, real Kryo): each node's samples reach the other's replica, so
 * either node's charts show both; a node silent for longer than the window is dropped.
 */
class ClusterMetricHistoryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path data;

    @Test
    void eachNodesSamplesReachTheOtherAndASilentNodeIsDropped() {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        try {
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ClusterMetricHistory historyA = ClusterMetricHistory.start(a.system());
            ClusterMetricHistory historyB = ClusterMetricHistory.start(b.system());
            historyA.record(new MetricSample(1000, Map.of("mailfleet_sessions protocol=imap", 2.0)));
            historyB.record(new MetricSample(1000, Map.of("mailfleet_sessions protocol=imap", 3.0)));
            historyB.record(new MetricSample(1001, Map.of("mailfleet_sessions protocol=imap", 4.0)));
            TestNodes.await(() -> historyA.all().size() == 2
                    && historyA.all().get(historyB.node()).samples().size() == 2, WAIT, "B's samples in A's replica");
            TestNodes.await(() -> historyB.all().containsKey(historyA.node()), WAIT, "A's samples in B's replica");
            assertEquals(4.0, historyA.all().get(historyB.node()).samples().get(1).values()
                    .get("mailfleet_sessions protocol=imap"));

            // A keeps sampling hours later; B has said nothing since minute 1001: its history goes
            historyA.record(new MetricSample(1001 + ClusterMetricHistory.MAX_SAMPLES + 1, Map.of()));
            assertFalse(historyA.all().containsKey(historyB.node()), "dropped at once on the writing node");
            TestNodes.await(() -> !historyB.all().containsKey(historyB.node()) || historyB.all().size() == 1, WAIT,
                    "the drop replicates");
            assertTrue(historyA.all().containsKey(historyA.node()));
        } finally {
            b.shutdownTestKit();
            a.shutdownTestKit();
        }
    }
}
