package io.mailfleet.core.spam.classifier;

import java.util.Arrays;

/**
 * One model's learned counts: two counters per bucket of the {@link Features#TABLE_SIZE} table (each
 * allocated when its kind is first learned: a model nobody taught costs nothing) and the number of
 * spam and ham messages learned. Immutable: learning returns a new table (an entity's state may be
 * serialized for a snapshot while the entity goes on learning).
 */
public record ModelTable(int[] spam, int[] ham, long learnedSpam, long learnedHam) {

    private static final int[] NONE = new int[0];

    /** A table that learned nothing: no counters allocated until the first message is learned. */
    public static ModelTable empty() {
        return new ModelTable(NONE, NONE, 0, 0);
    }

    /** This table after learning one message with {@code features} as spam or ham (counters saturate). */
    public ModelTable learn(int[] features, boolean isSpam) {
        int[] current = isSpam ? spam : ham;
        int[] target = current.length == 0 ? new int[Features.TABLE_SIZE] : current.clone();
        for (int f : features) {
            if (f >= 0 && f < target.length && target[f] < Integer.MAX_VALUE) {
                target[f]++;
            }
        }
        return isSpam ? new ModelTable(target, ham, learnedSpam + 1, learnedHam)
                : new ModelTable(spam, target, learnedSpam, learnedHam + 1);
    }

    /** The counts of {@code features}. */
    public ModelCounts counts(int[] features) {
        int[] s = new int[features.length];
        int[] h = new int[features.length];
        for (int i = 0; i < features.length; i++) {
            int f = features[i];
            if (f >= 0 && f < spam.length) {
                s[i] = spam[f];
            }
            if (f >= 0 && f < ham.length) {
                h[i] = ham[f];
            }
        }
        return new ModelCounts(s, h, learnedSpam, learnedHam);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelTable t && Arrays.equals(spam, t.spam) && Arrays.equals(ham, t.ham)
                && learnedSpam == t.learnedSpam && learnedHam == t.learnedHam;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(spam) + Arrays.hashCode(ham) + Long.hashCode(learnedSpam * 7 + learnedHam);
    }

    @Override
    public String toString() {
        return "ModelTable[learnedSpam=" + learnedSpam + ", learnedHam=" + learnedHam + "]";
    }
}
