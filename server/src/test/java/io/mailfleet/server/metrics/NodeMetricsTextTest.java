package io.mailfleet.server.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The text the node serves: HELP and TYPE per family, counters under their {@code _total} name, escaped labels. */
class NodeMetricsTextTest {

    @Test
    void writesHelpTypeTotalsAndEscapedLabels() {
        MetricSnapshots snapshots = MetricSnapshots.of(
                CounterSnapshot.builder().name("m").help("Counts things.\nTwo lines.")
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(Labels.of("b", "2", "a", "x\"y\\z\nw")).value(3).build())
                        .build(),
                GaugeSnapshot.builder().name("g").help("A level.")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1.5).build()).build());
        assertEquals("# HELP g A level.\n# TYPE g gauge\ng 1.5\n"
                + "# HELP m_total Counts things.\\nTwo lines.\n# TYPE m_total counter\n"
                + "m_total{a=\"x\\\"y\\\\z\\nw\",b=\"2\"} 3.0\n", NodeMetrics.text(snapshots));
    }
}
