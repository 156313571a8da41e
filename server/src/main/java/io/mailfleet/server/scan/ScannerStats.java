package io.mailfleet.server.scan;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One scanner's call counts by outcome and the time its answered calls took, for the node's metrics. */
public final class ScannerStats {

    /** How a call ended: answered, or why not. */
    public enum Outcome { ANSWERED, ERROR, TIMEOUT, BUSY, CIRCUIT_OPEN }

    private final String scanner;
    private final Map<Outcome, LongAdder> calls = new EnumMap<>(Outcome.class);
    private final LongAdder latencyNanos = new LongAdder();
    private final LongAdder timed = new LongAdder();
    private volatile boolean circuitOpen;

    public ScannerStats(String scanner) {
        this.scanner = scanner;
        for (Outcome o : Outcome.values()) {
            calls.put(o, new LongAdder());
        }
    }

    public String scanner() {
        return scanner;
    }

    void record(Outcome outcome, long nanos) {
        calls.get(outcome).increment();
        if (outcome == Outcome.ANSWERED || outcome == Outcome.ERROR || outcome == Outcome.TIMEOUT) {
            latencyNanos.add(nanos);
            timed.increment();
        }
    }

    void circuitOpen(boolean open) {
        this.circuitOpen = open;
    }

    /** Calls that ended with {@code o}. */
    public long calls(Outcome o) {
        return calls.get(o).sum();
    }

    /** Calls that reached the scanner (answered, failed or timed out) and their total time in seconds. */
    public long timedCalls() {
        return timed.sum();
    }

    public double latencySeconds() {
        return latencyNanos.sum() / 1e9;
    }

    public boolean circuitOpen() {
        return circuitOpen;
    }
}
