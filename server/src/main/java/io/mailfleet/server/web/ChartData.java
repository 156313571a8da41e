package io.mailfleet.server.web;

import io.mailfleet.cluster.metrics.MetricSample;
import io.mailfleet.cluster.metrics.NodeHistory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One chart's lines from the replicated metric history: a metric family split by one label,
 * counters as per-minute increases (a restarted node's counter starting again from zero counts from
 * there), gauges as read; the nodes' values of a minute added up, or the largest taken for a gauge
 * every node reports for the whole cluster (the queue).
 */
final class ChartData {

    /** How a family is charted. */
    record Spec(String title, String family, String label, boolean counter, boolean clusterWideGauge, String unit) {
    }

    /** One line: a label value and its value per minute (minute since the epoch to value). */
    record Line(String name, TreeMap<Long, Double> points) {

        double last() {
            return points.isEmpty() ? 0 : points.lastEntry().getValue();
        }

        double max() {
            return points.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    private ChartData() {
    }

    /** The lines of {@code spec} for the minutes in {@code [from, to]}, sorted by name. */
    static List<Line> lines(Spec spec, Collection<NodeHistory> nodes, long from, long to) {
        Map<String, TreeMap<Long, Double>> out = new TreeMap<>();
        for (NodeHistory node : nodes) {
            Map<String, Double> previous = null;
            long previousMinute = 0;
            for (MetricSample s : node.samples()) {
                Map<String, Double> grouped = grouped(spec, s.values());
                if (s.minute() >= from && s.minute() <= to) {
                    for (Map.Entry<String, Double> e : grouped.entrySet()) {
                        double v = e.getValue();
                        if (spec.counter()) {
                            if (previous == null) {
                                continue; // no earlier total to take the increase from
                            }
                            double before = previous.getOrDefault(e.getKey(), 0.0);
                            double increase = v >= before ? v - before : v;
                            v = increase / Math.max(1, s.minute() - previousMinute);
                        }
                        TreeMap<Long, Double> points = out.computeIfAbsent(e.getKey(), k -> new TreeMap<>());
                        double value = v;
                        points.merge(s.minute(), value, spec.clusterWideGauge() ? Math::max : Double::sum);
                    }
                }
                previous = grouped;
                previousMinute = s.minute();
            }
        }
        List<Line> lines = new ArrayList<>();
        out.forEach((name, points) -> lines.add(new Line(name, points)));
        return lines;
    }

    /** The sample's series of the family, added up by the value of the spec's label. */
    private static Map<String, Double> grouped(Spec spec, Map<String, Double> values) {
        Map<String, Double> grouped = new TreeMap<>();
        String prefix = spec.family() + " ";
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (!e.getKey().startsWith(prefix) && !e.getKey().equals(spec.family())) {
                continue;
            }
            String group = labelValue(e.getKey().substring(Math.min(e.getKey().length(), prefix.length())), spec.label());
            grouped.merge(group, e.getValue(), Double::sum);
        }
        return grouped;
    }

    private static String labelValue(String labels, String label) {
        for (String pair : labels.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(label)) {
                return pair.substring(eq + 1);
            }
        }
        return "all";
    }
}
