package io.mailfleet.core.ban;

import java.util.ArrayList;
import java.util.List;

/**
 * Failure times of one address in one jail within the find-time window (Fail2ban's
 * {@code findtime}/{@code maxretry}). Immutable; times are epoch milliseconds.
 */
public record FailureWindow(List<Long> times) {

    public FailureWindow {
        times = List.copyOf(times);
    }

    public static FailureWindow empty() {
        return new FailureWindow(List.of());
    }

    /** This window with a failure at {@code at} added and failures older than {@code findTimeMillis} dropped. */
    public FailureWindow record(long at, long findTimeMillis, int keepAtMost) {
        List<Long> kept = new ArrayList<>(times.size() + 1);
        for (long t : times) {
            if (at - t < findTimeMillis) {
                kept.add(t);
            }
        }
        kept.add(at);
        while (kept.size() > keepAtMost) {
            kept.remove(0);
        }
        return new FailureWindow(kept);
    }

    /** The failures still inside the window at {@code now}. */
    public int countAt(long now, long findTimeMillis) {
        int n = 0;
        for (long t : times) {
            if (now - t < findTimeMillis) {
                n++;
            }
        }
        return n;
    }

    /** Whether the window holds {@code maxRetry} failures at {@code now}: time to ban. */
    public boolean reached(long now, long findTimeMillis, int maxRetry) {
        return countAt(now, findTimeMillis) >= maxRetry;
    }
}
