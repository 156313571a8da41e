package io.mailfleet.cluster.metrics;

import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The metric history travels between nodes of different versions during a rolling upgrade: its Kryo
 * form must stay readable. The first run records {@code src/test/resources/golden/cluster/metrics-*};
 * later runs verify them. Also: a history keeps its newest samples only.
 */
class MetricHistoryGoldenBytesTest {

    @Test
    void historyBytes() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        NodeHistory h = new NodeHistory(List.of(new MetricSample(29_000_000L,
                Map.of("mailfleet_deliveries outcome=delivered", 12.0, "mailfleet_queue_messages state=deferred", 3.0))));
        GoldenBytes.verify(codec, h, "golden/cluster/metrics-node-history.b64");
    }

    @Test
    void aHistoryIsBoundedAndAMinuteIsReplaced() {
        NodeHistory h = new NodeHistory(List.of());
        for (long m = 1; m <= 5; m++) {
            h = h.with(new MetricSample(m, Map.of("x", (double) m)), 3);
        }
        assertEquals(List.of(3L, 4L, 5L), h.samples().stream().map(MetricSample::minute).toList());
        h = h.with(new MetricSample(5, Map.of("x", 50.0)), 3);
        assertEquals(3, h.samples().size());
        assertEquals(50.0, h.samples().get(2).values().get("x"));
        assertEquals(5, h.newestMinute());
    }
}
