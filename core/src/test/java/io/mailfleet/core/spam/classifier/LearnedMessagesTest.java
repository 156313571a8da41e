package io.mailfleet.core.spam.classifier;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record of learned messages: digests, the bound, relearning, resizing; and exact unlearning of the counts. */
class LearnedMessagesTest {

    private static long[] d(int i) {
        return LearnedMessages.digest(new int[] {i, i + 1, i + 2});
    }

    @Test
    void theDigestIsOfTheDistinctFeaturesWhateverTheirOrder() {
        assertArrayEquals(LearnedMessages.digest(new int[] {3, 1, 2}), LearnedMessages.digest(new int[] {1, 2, 3, 3}));
        assertFalse(java.util.Arrays.equals(LearnedMessages.digest(new int[] {1, 2, 3}),
                LearnedMessages.digest(new int[] {1, 2, 4})));
        byte[] a = ("From: a@x.test\r\nSubject: cheap pills\r\n\r\nbuy now\r\n").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(LearnedMessages.digest(Features.of(a)), LearnedMessages.digest(Features.of(a.clone())));
    }

    @Test
    void remembersTheLastMessagesAndTheirKind() {
        LearnedMessages m = LearnedMessages.empty();
        assertEquals(0, m.capacity(), "nothing allocated before the first message");
        assertNull(m.learnedAs(d(1)));
        m = m.remember(d(1), true, 3).remember(d(2), false, 3).remember(d(3), true, 3);
        assertEquals(Boolean.TRUE, m.learnedAs(d(1)));
        assertEquals(Boolean.FALSE, m.learnedAs(d(2)));
        assertEquals(3, m.size());
        LearnedMessages full = m;
        m = m.remember(d(4), false, 3);
        assertNull(m.learnedAs(d(1)), "the oldest falls out");
        assertEquals(Boolean.TRUE, full.learnedAs(d(1)), "immutable: the earlier record is unchanged");
        assertEquals(3, m.size());
        // relearned: the entry becomes the newest, so it outlives the ones learned after it first
        m = m.remember(d(2), true, 3);
        assertEquals(Boolean.TRUE, m.learnedAs(d(2)));
        assertEquals(3, m.size(), "one entry per message");
        m = m.remember(d(5), true, 3).remember(d(6), true, 3);
        assertEquals(Boolean.TRUE, m.learnedAs(d(2)));
        assertNull(m.learnedAs(d(3)));
        assertNull(m.learnedAs(d(4)));
    }

    @Test
    void aSmallerBoundKeepsTheNewestAndZeroRemembersNothing() {
        LearnedMessages m = LearnedMessages.empty();
        for (int i = 1; i <= 5; i++) {
            m = m.remember(d(i), i % 2 == 0, 5);
        }
        // shrunk to the newest three (3, 4, 5), then 6 pushes 3 out
        LearnedMessages smaller = m.remember(d(6), true, 3);
        assertEquals(3, smaller.capacity());
        assertNull(smaller.learnedAs(d(3)));
        assertEquals(Boolean.TRUE, smaller.learnedAs(d(4)), "4 is even: learned as spam");
        assertEquals(Boolean.FALSE, smaller.learnedAs(d(5)), "5 is odd: learned as ham");
        assertEquals(Boolean.TRUE, smaller.learnedAs(d(6)));
        smaller = smaller.remember(d(7), true, 3);
        assertNull(smaller.learnedAs(d(4)), "oldest first after the resize too");
        assertEquals(Boolean.FALSE, smaller.learnedAs(d(5)));
        LearnedMessages larger = smaller.remember(d(8), false, 10);
        assertEquals(Boolean.TRUE, larger.learnedAs(d(6)));
        assertEquals(4, larger.size());
        assertEquals(LearnedMessages.empty(), m.remember(d(9), true, 0));
        assertNotEquals(m, smaller);
    }

    @Test
    void relearningUndoesTheEarlierCountsExactly() {
        int[] a = {1, 5, 9};
        int[] b = {5, 7};
        int[] moved = {2, 5, 7, 11};
        ClassifierModel base = ClassifierModel.empty().learn(a, true).learn(b, false);
        ClassifierModel relearned = Relearning.relearn(base.learn(moved, true), moved, false);
        ClassifierModel onlyHam = base.learn(moved, false);
        assertEquals(onlyHam.counts(), relearned.counts(), "the Bayes counts as if only ever learned as ham");
        assertEquals(1, relearned.learnedSpam());
        assertEquals(2, relearned.learnedHam());
        assertTrue(relearned.logistic().logit(moved) < base.learn(moved, true).logistic().logit(moved),
                "the regression stepped towards ham");
        ModelTable floor = Relearning.unlearn(ModelTable.empty(), new int[] {3}, true);
        assertEquals(0, floor.learnedSpam(), "never below zero");
    }
}
