package io.mailfleet.core.imap;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 3501 §9 sequence-set parsing, membership with {@code *}, and the compact format of UIDPLUS. */
class SequenceSetTest {

    @Test
    void rangesStarAndReversedRanges() {
        SequenceSet s = SequenceSet.parse("1,3:5,9:*");
        assertTrue(s.contains(1, 20));
        assertFalse(s.contains(2, 20));
        assertTrue(s.contains(4, 20));
        assertTrue(s.contains(20, 20));
        assertFalse(s.contains(8, 20));
        SequenceSet reversed = SequenceSet.parse("5:2");
        assertTrue(reversed.contains(3, 10));
        assertFalse(reversed.contains(6, 10));
        // "*:4" with 3 messages means 3:4 (RFC 3501: the largest number in use).
        assertTrue(SequenceSet.parse("*:4").contains(3, 3));
        assertTrue(SequenceSet.parse("*").contains(7, 7));
        assertFalse(SequenceSet.parse("*").contains(6, 7));
    }

    @Test
    void allAtMostChecksSequenceNumbersExist() {
        assertTrue(SequenceSet.parse("1:3,*").allAtMost(3));
        assertFalse(SequenceSet.parse("1:4").allAtMost(3));
        assertFalse(SequenceSet.parse("4").allAtMost(3));
    }

    @Test
    void badSetsNameTheProblem() {
        for (String bad : new String[] {"", "0", "1,,2", "1:", ":3", "a", "1:x", "01", "4294967296", "1 2", "-1",
                "12345678901", "*:", "1:2:3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequenceSet.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains("sequence set"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SequenceSet.parse(null));
        assertTrue(SequenceSet.parse("4294967295").contains(4294967295L, 1));
    }

    @Test
    void tooManyRangesAreRefused() {
        String huge = "1,".repeat(100_001) + "1";
        assertThrows(IllegalArgumentException.class, () -> SequenceSet.parse(huge));
    }

    @Test
    void formatIsCompactAndParsesBack() {
        assertEquals("1:3,7,9:10", SequenceSet.format(List.of(1L, 2L, 3L, 7L, 9L, 10L)));
        assertEquals("", SequenceSet.format(List.of()));
        assertEquals("5", SequenceSet.format(List.of(5L)));
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<Long> nums = r.longs(r.nextInt(30) + 1, 1, 200).sorted().distinct().boxed().toList();
            SequenceSet back = SequenceSet.parse(SequenceSet.format(nums));
            for (long n = 1; n < 200; n++) {
                assertEquals(nums.contains(n), back.contains(n, 200), "n=" + n + " in " + nums);
            }
        }
    }

    @Test
    void randomInputNeverThrowsAnythingElse() {
        Random r = new Random(7);
        String alphabet = "0123456789:,*x -";
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(12); k >= 0; k--) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            try {
                SequenceSet s = SequenceSet.parse(sb.toString());
                s.contains(r.nextInt(50) + 1, 50);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("sequence set"), expected.getMessage());
            }
        }
    }
}
