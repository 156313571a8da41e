package io.mailfleet.bench;

import java.util.Map;
import java.util.TreeMap;

/** What one load connection observed; merged into the run's totals when all connections are done. */
public final class ConnectionStats {

    final Latencies latencies = new Latencies();
    final Map<String, Integer> errorSamples = new TreeMap<>();
    long accepted;
    long errors;
    long bytes;
    long firstSendNanos = Long.MAX_VALUE;
    long lastAcceptNanos = Long.MIN_VALUE;

    void error(String reply) {
        errors++;
        String key = reply.length() > 120 ? reply.substring(0, 120) : reply;
        if (errorSamples.size() < 20 || errorSamples.containsKey(key)) {
            errorSamples.merge(key, 1, Integer::sum);
        }
    }

    void merge(ConnectionStats o) {
        latencies.addAll(o.latencies);
        o.errorSamples.forEach((k, v) -> errorSamples.merge(k, v, Integer::sum));
        accepted += o.accepted;
        errors += o.errors;
        bytes += o.bytes;
        firstSendNanos = Math.min(firstSendNanos, o.firstSendNanos);
        lastAcceptNanos = Math.max(lastAcceptNanos, o.lastAcceptNanos);
    }
}
