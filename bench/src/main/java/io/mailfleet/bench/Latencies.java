package io.mailfleet.bench;

import java.util.Arrays;

/** A growable list of latencies in nanoseconds, with nearest-rank percentiles. Not thread-safe. */
public final class Latencies {

    private long[] values = new long[1024];
    private int count;

    public void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
    }

    public void addAll(Latencies other) {
        for (int i = 0; i < other.count; i++) {
            add(other.values[i]);
        }
    }

    public int count() {
        return count;
    }

    /** The summary of everything added so far; all zero when empty. */
    public Summary summary() {
        if (count == 0) {
            return new Summary(0, 0, 0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        long sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return new Summary(rank(sorted, 50), rank(sorted, 90), rank(sorted, 99), sorted[count - 1],
                sum / count, count);
    }

    /** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
    static long rank(long[] sorted, double p) {
        int r = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))];
    }

    /** Percentiles in nanoseconds. */
    public record Summary(long p50, long p90, long p99, long max, long mean, int samples) {
    }
}
