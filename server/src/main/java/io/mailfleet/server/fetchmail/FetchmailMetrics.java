package io.mailfleet.server.fetchmail;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fetchmail polls this node ran, for its Prometheus metrics: polls by outcome, messages fetched and
 * the last successful poll per source. A source is polled by one node at a time, so the cluster's view
 * is the sum (or, for the timestamp, the maximum) over the nodes.
 */
public final class FetchmailMetrics {

    private final Map<String, Source> sources = new ConcurrentHashMap<>();

    private static final class Source {
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder messages = new LongAdder();
        final AtomicLong lastSuccessMillis = new AtomicLong();
    }

    void succeeded(String source, int fetched, long atMillis) {
        Source s = sources.computeIfAbsent(source, k -> new Source());
        s.ok.increment();
        s.messages.add(fetched);
        s.lastSuccessMillis.accumulateAndGet(atMillis, Math::max);
    }

    void failed(String source, int fetched) {
        Source s = sources.computeIfAbsent(source, k -> new Source());
        s.failed.increment();
        s.messages.add(fetched);
    }

    /** Nothing before this node's first poll, so a node without fetchmail shows no empty families. */
    public List<MetricSnapshot> snapshots() {
        if (sources.isEmpty()) {
            return List.of();
        }
        CounterSnapshot.Builder polls = CounterSnapshot.builder().name("mailfleet_fetchmail_polls")
                .help("fetchmail polls this node ran, by source and outcome (ok, failed).");
        CounterSnapshot.Builder messages = CounterSnapshot.builder().name("mailfleet_fetchmail_messages")
                .help("Messages fetched from remote mailboxes into the queue by this node, by source.");
        GaugeSnapshot.Builder last = GaugeSnapshot.builder().name("mailfleet_fetchmail_last_success_timestamp_seconds")
                .help("When this node last polled the source successfully (Unix time, 0: never).");
        sources.forEach((name, s) -> {
            polls.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(Labels.of("source", name, "outcome", "ok")).value(s.ok.sum()).build());
            polls.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(Labels.of("source", name, "outcome", "failed")).value(s.failed.sum()).build());
            messages.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(Labels.of("source", name)).value(s.messages.sum()).build());
            last.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("source", name)).value(s.lastSuccessMillis.get() / 1000.0).build());
        });
        return List.of(polls.build(), messages.build(), last.build());
    }
}
