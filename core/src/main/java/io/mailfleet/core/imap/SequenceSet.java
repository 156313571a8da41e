package io.mailfleet.core.imap;

import java.util.ArrayList;
import java.util.List;

/**
 * An IMAP sequence-set (RFC 3501 §9 {@code sequence-set}): ranges of numbers where {@code *} stands
 * for the largest number in use. Parsing is strict; a bad set names the offending text.
 */
public final class SequenceSet {

    /** Marker for {@code *}. */
    public static final long STAR = -1;
    private static final int MAX_RANGES = 100_000;

    /** One range; {@code low} may be above {@code high} as written ({@code 5:2}). */
    public record Range(long low, long high) {
        long min(long star) {
            return Math.min(value(low, star), value(high, star));
        }

        long max(long star) {
            return Math.max(value(low, star), value(high, star));
        }
    }

    private final List<Range> ranges;

    private SequenceSet(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public List<Range> ranges() {
        return ranges;
    }

    /** Parses a sequence-set; throws {@link IllegalArgumentException} naming the problem. */
    public static SequenceSet parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty sequence set");
        }
        List<Range> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            if (out.size() >= MAX_RANGES) {
                throw new IllegalArgumentException("sequence set has too many ranges");
            }
            int colon = part.indexOf(':');
            if (colon < 0) {
                long n = number(part, text);
                out.add(new Range(n, n));
            } else {
                out.add(new Range(number(part.substring(0, colon), text), number(part.substring(colon + 1), text)));
            }
        }
        return new SequenceSet(out);
    }

    private static long number(String s, String whole) {
        if (s.equals("*")) {
            return STAR;
        }
        if (s.isEmpty() || s.length() > 10 || s.charAt(0) == '0') {
            throw new IllegalArgumentException("invalid sequence set: " + whole);
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("invalid sequence set: " + whole);
            }
            n = n * 10 + (c - '0');
        }
        if (n > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("number out of range in sequence set: " + whole);
        }
        return n;
    }

    private static long value(long v, long star) {
        return v == STAR ? star : v;
    }

    /** True if {@code n} is in the set when {@code *} means {@code star}. */
    public boolean contains(long n, long star) {
        for (Range r : ranges) {
            if (n >= r.min(star) && n <= r.max(star)) {
                return true;
            }
        }
        return false;
    }

    /** True if every number of the set is at most {@code max} (sequence numbers must exist). */
    public boolean allAtMost(long max) {
        for (Range r : ranges) {
            if (r.low() != STAR && r.low() > max || r.high() != STAR && r.high() > max) {
                return false;
            }
        }
        return true;
    }

    /** Renders ascending numbers compactly ({@code 1:3,7}), as UIDPLUS and ESEARCH answer. */
    public static String format(List<Long> sorted) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            long start = sorted.get(i);
            long end = start;
            while (i + 1 < sorted.size() && sorted.get(i + 1) == end + 1) {
                end = sorted.get(++i);
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(start);
            if (end != start) {
                sb.append(':').append(end);
            }
            i++;
        }
        return sb.toString();
    }
}
