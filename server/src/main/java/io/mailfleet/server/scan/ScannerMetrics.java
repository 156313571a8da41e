package io.mailfleet.server.scan;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/** The scanners of this node for its Prometheus metrics: calls by outcome, call time, open circuits. */
public final class ScannerMetrics {

    private final List<ScannerStats> scanners = new CopyOnWriteArrayList<>();

    /** Adds a scanner's statistics (once, at start-up). */
    public void add(ScannerStats stats) {
        scanners.add(stats);
    }

    /** Nothing when no scanner is enabled, so a node without them shows no empty families. */
    public List<MetricSnapshot> snapshots() {
        if (scanners.isEmpty()) {
            return List.of();
        }
        CounterSnapshot.Builder calls = CounterSnapshot.builder().name("mailfleet_scanner_calls")
                .help("Calls to external content scanners (clamd, spamd, rspamd) by outcome.");
        SummarySnapshot.Builder time = SummarySnapshot.builder().name("mailfleet_scanner_call_seconds")
                .help("Time of the scanner calls that reached the scanner (answered, failed or timed out).");
        GaugeSnapshot.Builder open = GaugeSnapshot.builder().name("mailfleet_scanner_circuit_open")
                .help("1 while a scanner's circuit breaker is open (calls fail at once).");
        for (ScannerStats s : scanners) {
            for (ScannerStats.Outcome o : ScannerStats.Outcome.values()) {
                calls.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("scanner", s.scanner(), "outcome", o.name().toLowerCase(Locale.ROOT)))
                        .value(s.calls(o)).build());
            }
            time.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(Labels.of("scanner", s.scanner()))
                    .count(s.timedCalls()).sum(s.latencySeconds()).build());
            open.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("scanner", s.scanner()))
                    .value(s.circuitOpen() ? 1 : 0).build());
        }
        return List.of(calls.build(), time.build(), open.build());
    }
}
