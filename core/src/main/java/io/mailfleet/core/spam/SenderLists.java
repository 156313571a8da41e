package io.mailfleet.core.spam;

import java.util.List;

/**
 * One account's sender allow and block lists (normalized {@link SenderEntry} forms), and what they say
 * of a sender: the most specific matching entry decides (an allowed {@code boss@x.test} gets through a
 * blocked {@code x.test}); between equally specific entries of both lists the block list wins.
 */
public record SenderLists(List<String> allow, List<String> block) {

    /** The lists of an account that has none. */
    public static final SenderLists EMPTY = new SenderLists(List.of(), List.of());

    /** What the lists say of one sender. */
    public enum Listed {
        /** On the allow list: spam scoring and spam refusal are skipped (virus scanning is not). */
        ALLOWED,
        /** On the block list: treated as spam over {@code SA_KILL}. */
        BLOCKED,
        /** On neither: scored as usual. */
        NONE
    }

    public SenderLists {
        allow = List.copyOf(allow);
        block = List.copyOf(block);
    }

    /** What the lists say of the reverse-path {@code sender} (empty for the null sender: never listed). */
    public Listed listed(String sender) {
        int allowed = best(allow, sender);
        int blocked = best(block, sender);
        if (allowed < 0 && blocked < 0) {
            return Listed.NONE;
        }
        return blocked >= allowed ? Listed.BLOCKED : Listed.ALLOWED;
    }

    /** The matching entry of which the specificity is highest, as its {@link SenderEntry.Kind} ordinal; -1 when none. */
    private static int best(List<String> entries, String sender) {
        int best = -1;
        for (String e : entries) {
            if (SenderEntry.matches(e, sender)) {
                best = Math.max(best, SenderEntry.kind(e).ordinal());
            }
        }
        return best;
    }
}
