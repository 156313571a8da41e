package io.mailfleet.cluster.metrics;

import java.util.Map;

/**
 * One node's metric values at one minute: counters as their running totals, gauges as read.
 *
 * @param minute minutes since the epoch (UTC)
 * @param values series name (e.g. {@code mailfleet_deliveries outcome=delivered}) to value
 */
public record MetricSample(long minute, Map<String, Double> values) {

    public MetricSample {
        values = Map.copyOf(values);
    }
}
