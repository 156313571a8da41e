package io.mailfleet.server.metrics;

import io.mailfleet.cluster.metrics.ClusterMetricHistory;
import io.mailfleet.cluster.metrics.MetricSample;
import io.mailfleet.core.service.GuardedTick;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Once a minute, the families people chart (deliveries, queue, sessions, SMTP refusals, scanner
 * verdicts, authentication results) from this node's metrics into the replicated
 * {@link ClusterMetricHistory}. Counters go in as running totals; the charts take the differences.
 */
public final class MetricHistorySampler implements AutoCloseable {

    /** The metric families the web UI's charts read. */
    public static final Set<String> FAMILIES = Set.of("mailfleet_deliveries", "mailfleet_queue_messages",
            "mailfleet_sessions", "mailfleet_smtp_refusals", "mailfleet_scanner_calls",
            "mailfleet_authentication_results");

    private final Cancellable timer;
    private final GuardedTick tick;

    private MetricHistorySampler(Cancellable timer, GuardedTick tick) {
        this.timer = timer;
        this.tick = tick;
    }

    /** Samples {@code metrics} every {@code every} into {@code history}. */
    public static MetricHistorySampler start(ActorSystem<?> system, NodeMetrics metrics, ClusterMetricHistory history,
                                             Duration every, Clock clock) {
        // Pekko's scheduler cancels a repeated task whose run threw: the guard keeps it scheduled
        GuardedTick tick = new GuardedTick("metric-history", () -> metrics.snapshots().thenAccept(s ->
                history.record(sample(s, clock.millis() / 60_000))));
        Cancellable timer = system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(5), every, tick,
                system.executionContext());
        return new MetricHistorySampler(timer, tick);
    }

    /** The charted families of {@code snapshots} as {@code family label=value,…} to value. */
    static MetricSample sample(MetricSnapshots snapshots, long minute) {
        Map<String, Double> values = new TreeMap<>();
        for (MetricSnapshot family : snapshots) {
            String name = family.getMetadata().getName();
            if (!FAMILIES.contains(name)) {
                continue;
            }
            for (DataPointSnapshot point : family.getDataPoints()) {
                double v;
                if (point instanceof CounterSnapshot.CounterDataPointSnapshot c) {
                    v = c.getValue();
                } else if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
                    v = g.getValue();
                } else {
                    continue;
                }
                values.put(seriesName(name, point.getLabels()), v);
            }
        }
        return new MetricSample(minute, values);
    }

    static String seriesName(String family, Labels labels) {
        StringBuilder sb = new StringBuilder(family);
        for (int i = 0; i < labels.size(); i++) {
            sb.append(i == 0 ? ' ' : ',').append(labels.getName(i)).append('=').append(labels.getValue(i));
        }
        return sb.toString();
    }

    /** The sampling task, for the node's background health. */
    public GuardedTick tick() {
        return tick;
    }

    @Override
    public void close() {
        timer.cancel();
    }
}
