package io.mailfleet.core.imap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** RFC 5256 SORT: orders messages by a list of criteria, ties broken by sequence number. */
public final class MessageSorter {

    private MessageSorter() {
    }

    /** The ids of {@code items} in sort order. */
    public static List<Long> sort(List<SortData> items, List<SortCriterion> criteria) {
        Comparator<SortData> cmp = null;
        for (SortCriterion c : criteria) {
            Comparator<SortData> k = comparator(c.key());
            if (c.reverse()) {
                k = k.reversed();
            }
            cmp = cmp == null ? k : cmp.thenComparing(k);
        }
        Comparator<SortData> bySeq = Comparator.comparingInt(SortData::seq);
        cmp = cmp == null ? bySeq : cmp.thenComparing(bySeq);
        List<SortData> sorted = new ArrayList<>(items);
        sorted.sort(cmp);
        List<Long> out = new ArrayList<>(sorted.size());
        sorted.forEach(d -> out.add(d.id()));
        return out;
    }

    private static Comparator<SortData> comparator(SortCriterion.Key key) {
        return switch (key) {
            case ARRIVAL -> Comparator.comparing(SortData::arrival);
            case DATE -> Comparator.comparing(SortData::sent);
            case SIZE -> Comparator.comparingLong(SortData::size);
            case SUBJECT -> Comparator.comparing(d -> d.subject().text());
            case FROM -> Comparator.comparing(SortData::from);
            case TO -> Comparator.comparing(SortData::to);
            case CC -> Comparator.comparing(SortData::cc);
        };
    }
}
