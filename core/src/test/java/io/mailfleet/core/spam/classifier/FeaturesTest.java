package io.mailfleet.core.spam.classifier;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The feature buckets of a word list: distinct, ascending, bounded, whatever repeats the words hold. */
class FeaturesTest {

    @Test
    void bucketsAreDistinctAscendingAndTheSameForTheSameWords() {
        Random r = new Random(7);
        for (int round = 0; round < 50; round++) {
            List<String> words = new ArrayList<>();
            int n = r.nextInt(3000);
            for (int i = 0; i < n; i++) {
                // a small vocabulary, so words and pairs repeat
                words.add("w" + r.nextInt(1 + r.nextInt(200)));
            }
            int[] f = Features.ofTokens(words);
            for (int i = 1; i < f.length; i++) {
                assertTrue(f[i - 1] < f[i], "ascending and distinct at " + i);
            }
            assertTrue(f.length <= Features.MAX_FEATURES);
            assertTrue(Arrays.stream(f).allMatch(b -> b >= 0 && b < Features.TABLE_SIZE));
            assertArrayEquals(f, Features.ofTokens(new ArrayList<>(words)));
        }
    }

    @Test
    void repeatingAMessageAddsNoFeaturesAndEveryWordCounts() {
        List<String> once = List.of("cheap", "pills", "buy", "now");
        List<String> twice = new ArrayList<>(once);
        twice.addAll(once);
        int[] a = Features.ofTokens(once);
        // 4 words and their 3 + 2 + 1 pairs within the window
        assertEquals(10, a.length);
        int[] b = Features.ofTokens(twice);
        assertTrue(Arrays.stream(a).allMatch(x -> Arrays.binarySearch(b, x) >= 0));
        assertEquals(0, Features.ofTokens(List.of()).length);
    }

    @Test
    void aHugeVocabularyIsCutAtTheBound() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < Tokens.MAX_TOKENS; i++) {
            words.add("word" + i);
        }
        int[] f = Features.ofTokens(words);
        assertEquals(Features.MAX_FEATURES, f.length);
    }

    @Test
    void whatACallerSendsIsCutToTheTableAndTheBound() {
        int[] hostile = new int[100_000];
        for (int i = 0; i < hostile.length; i++) {
            hostile[i] = (i % 3 == 0) ? -i : (i % 3 == 1 ? Features.TABLE_SIZE + i : i % 50_000);
        }
        int[] f = Features.distinct(hostile, hostile.length);
        assertEquals(Features.MAX_FEATURES, f.length);
        for (int i = 1; i < f.length; i++) {
            assertTrue(f[i - 1] < f[i]);
        }
        assertArrayEquals(new int[]{3, 9}, Features.distinct(new int[]{9, -1, 3, 9, Features.TABLE_SIZE, 3}, 6));
        assertArrayEquals(new int[]{9}, Features.distinct(new int[]{9, 3}, 1));
    }
}
