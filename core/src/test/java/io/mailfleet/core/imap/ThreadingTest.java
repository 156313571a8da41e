package io.mailfleet.core.imap;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 5256 base subjects, SORT order and both THREAD algorithms. */
class ThreadingTest {

    @Test
    void baseSubjectStripsLeadersBlobsTrailersAndForwardWrappers() {
        assertEquals("PLANS", BaseSubject.of("Re: Plans").text());
        assertTrue(BaseSubject.of("Re: Plans").reply());
        assertEquals("PLANS", BaseSubject.of("[list] RE:  [x] Fwd: plans (fwd) ").text());
        assertEquals("PLANS", BaseSubject.of("[Fwd: Re: plans]").text());
        assertEquals("ÄPFEL", BaseSubject.of("=?UTF-8?Q?Fw:_=C3=84pfel?=").text());
        assertEquals("[LIST]", BaseSubject.of("[list]").text());
        assertEquals("REPORT", BaseSubject.of("Report").text());
        assertFalse(BaseSubject.of("Report").reply());
        // a huge stored subject costs SORT and THREAD a bounded prefix, not its size
        BaseSubject huge = BaseSubject.of("Re: " + "x".repeat(2_000_000));
        assertTrue(huge.reply());
        assertEquals(BaseSubject.MAX_RAW - 4, huge.text().length());
        assertEquals("", BaseSubject.of(null).text());
        assertEquals("A B", BaseSubject.of("a\r\n\t  b").text());
    }

    private static SortData data(long id, String subject, String date, String messageId, String inReplyTo) {
        Instant sent = Instant.parse(date);
        return new SortData(id, (int) id, sent, sent, id * 10, BaseSubject.of(subject), "", "", "", messageId,
                inReplyTo);
    }

    @Test
    void sortUsesCriteriaInOrderThenSequence() {
        List<SortData> items = List.of(data(1, "b", "2024-01-02T00:00:00Z", null, null),
                data(2, "a", "2024-01-03T00:00:00Z", null, null), data(3, "b", "2024-01-01T00:00:00Z", null, null));
        assertEquals(List.of(2L, 1L, 3L), MessageSorter.sort(items, List.of(new SortCriterion(SortCriterion.Key.SUBJECT, false))));
        assertEquals(List.of(2L, 3L, 1L), MessageSorter.sort(items, List.of(new SortCriterion(SortCriterion.Key.SUBJECT, false),
                new SortCriterion(SortCriterion.Key.DATE, false))));
        assertEquals(List.of(3L, 2L, 1L), MessageSorter.sort(items, List.of(new SortCriterion(SortCriterion.Key.SIZE, true))));
    }

    @Test
    void referencesBuildsTreesPrunesDummiesAndMergesSubjects() {
        List<SortData> items = List.of(
                data(1, "Topic", "2024-01-01T00:00:00Z", "<1@x>", null),
                data(2, "Re: Topic", "2024-01-02T00:00:00Z", "<2@x>", null),
                data(3, "Re: Topic", "2024-01-03T00:00:00Z", "<3@x>", null),
                data(4, "Other", "2024-01-04T00:00:00Z", "<4@x>", "<missing@x>"),
                data(5, "Re: Other", "2024-01-05T00:00:00Z", "<5@x>", "<missing@x>"),
                data(6, "Alone", "2024-01-06T00:00:00Z", null, null));
        Map<Long, List<String>> refs = Map.of(2L, List.of("<1@x>"), 3L, List.of("<1@x>"));
        List<ThreadNode> t = Threader.references(items, d -> refs.getOrDefault(d.id(), List.of()));
        // 2 and 3 are siblings under 1; 4 and 5 share a missing parent (a dummy kept at the root).
        assertEquals("(1 (2)(3))((4)(5))(6)", ThreadNode.format(t));
        assertEquals("(1 (2)(3))(4 5)(6)", ThreadNode.format(Threader.orderedSubject(items)));
    }

    @Test
    void referenceLoopsAreIgnored() {
        List<SortData> items = List.of(data(1, "x", "2024-01-01T00:00:00Z", "<a@x>", null),
                data(2, "y", "2024-01-02T00:00:00Z", "<b@x>", null));
        Map<Long, List<String>> refs = Map.of(1L, List.of("<b@x>"), 2L, List.of("<a@x>"));
        List<ThreadNode> t = Threader.references(items, d -> refs.get(d.id()));
        assertEquals(List.of(1L, 2L), t.stream().flatMap(n -> n.ids().stream()).sorted().toList());
    }
}
