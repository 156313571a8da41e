package io.mailfleet.cluster.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One tally per policy domain and UTC day, handed out in day order once the day is over, with a
 * bound on how many domain-days are open: a flood of new domains must not grow an entity without
 * limit. Not thread-safe: it lives inside one actor.
 *
 * @param <T> the tally of one domain-day
 */
public final class DomainDays<T> {

    /** What one closed domain-day becomes in a report. */
    @FunctionalInterface
    public interface Closer<T, R> {
        R close(String domain, String day, T tally);
    }

    private final int maxDays;
    /** day + " " + domain → tally; sorted so reports come out in day order. */
    private final Map<String, T> open = new TreeMap<>();
    /** A refusal was logged since the last report. */
    private boolean refusalLogged;

    /** @param maxDays domain-days kept open at most; records for new ones beyond it are refused */
    public DomainDays(int maxDays) {
        this.maxDays = maxDays;
    }

    /** The UTC day ({@code yyyy-MM-dd}) of {@code millis}. */
    public static String day(long millis) {
        return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    /**
     * The tally of {@code domain} on the day of {@code millis}, from {@code fresh} if there is none yet;
     * null when there is none and the bound is reached or {@code fresh} gives null.
     */
    public T tally(String domain, long millis, Supplier<T> fresh) {
        String key = day(millis) + " " + domain;
        T t = open.get(key);
        if (t == null && open.size() < maxDays) {
            t = fresh.get();
            if (t != null) {
                open.put(key, t);
            }
        }
        return t;
    }

    /**
     * Whether a record just refused ({@link #tally} gave null) is the first since the last
     * {@link #takeUpTo}: only that one is logged, so a flood of new domains does not flood the log too.
     */
    public boolean firstRefusal() {
        boolean first = !refusalLogged;
        refusalLogged = true;
        return first;
    }

    /** Removes the domain-days up to {@code lastDay} ({@code yyyy-MM-dd}) and returns them closed, in day order. */
    public <R> List<R> takeUpTo(String lastDay, Closer<T, R> closer) {
        List<R> out = new ArrayList<>();
        Iterator<Map.Entry<String, T>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, T> e = it.next();
            int space = e.getKey().indexOf(' ');
            String day = e.getKey().substring(0, space);
            if (day.compareTo(lastDay) > 0) {
                break; // sorted by day: every later key is later too
            }
            out.add(closer.close(e.getKey().substring(space + 1), day, e.getValue()));
            it.remove();
        }
        refusalLogged = false;
        return out;
    }

    /** Domain-days open now. */
    public int size() {
        return open.size();
    }
}
