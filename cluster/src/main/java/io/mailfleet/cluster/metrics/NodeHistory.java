package io.mailfleet.cluster.metrics;

import java.util.ArrayList;
import java.util.List;

/** A node's samples, oldest first, at most {@link ClusterMetricHistory#MAX_SAMPLES}. */
public record NodeHistory(List<MetricSample> samples) {

    public NodeHistory {
        samples = List.copyOf(samples);
    }

    /** This history with {@code sample} added (replacing one of the same minute) and the oldest beyond {@code max} dropped. */
    NodeHistory with(MetricSample sample, int max) {
        List<MetricSample> out = new ArrayList<>(samples.size() + 1);
        for (MetricSample s : samples) {
            if (s.minute() < sample.minute()) {
                out.add(s);
            }
        }
        out.add(sample);
        return new NodeHistory(out.size() > max ? out.subList(out.size() - max, out.size()) : out);
    }

    /** The minute of the newest sample, or {@link Long#MIN_VALUE} when there is none. */
    long newestMinute() {
        return samples.isEmpty() ? Long.MIN_VALUE : samples.get(samples.size() - 1).minute();
    }
}
