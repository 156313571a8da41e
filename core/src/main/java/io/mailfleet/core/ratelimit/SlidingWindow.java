package io.mailfleet.core.ratelimit;

/**
 * The count of one key in a sliding window, approximated from two fixed windows (the previous one
 * weighted by how much of it still overlaps the sliding window, rounded up), as Cloudflare does. Memory is
 * constant per key; the estimate assumes the previous window's events were spread evenly, and is never
 * lower than the events of the current fixed window. Mutable: lives inside one actor.
 */
public final class SlidingWindow {

    private final long windowMillis;
    private long start;
    private long previous;
    private long current;

    public SlidingWindow(long windowMillis, long now) {
        this.windowMillis = windowMillis;
        this.start = now - now % windowMillis;
    }

    private void roll(long now) {
        long s = now - now % windowMillis;
        if (s == start) {
            return;
        }
        previous = s - start == windowMillis ? current : 0;
        current = 0;
        start = s;
    }

    /** The events counted over the last window at {@code now}. */
    public long count(long now) {
        roll(now);
        double overlap = 1.0 - (double) (now - start) / windowMillis;
        return current + (long) Math.ceil(previous * overlap);
    }

    /** Counts {@code amount} more events when that keeps the count within {@code max}; true if it did. */
    public boolean tryAdd(long now, long amount, long max) {
        if (count(now) + amount > max) {
            return false;
        }
        current += amount;
        return true;
    }

    /** Whether the window has counted nothing for a whole window and can be forgotten. */
    public boolean idle(long now) {
        return count(now) == 0;
    }
}
