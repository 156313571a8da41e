package io.mailfleet.core.spam.classifier;

import java.util.Arrays;

/**
 * What a model knows about some features: for each asked bucket, how many learned spam and ham
 * messages hit it, and how many spam and ham messages the model learned in all.
 */
public record ModelCounts(int[] spam, int[] ham, long learnedSpam, long learnedHam) {

    /** A model that learned nothing, for {@code n} features. */
    public static ModelCounts empty(int n) {
        return new ModelCounts(new int[n], new int[n], 0, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelCounts c && Arrays.equals(spam, c.spam) && Arrays.equals(ham, c.ham)
                && learnedSpam == c.learnedSpam && learnedHam == c.learnedHam;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(spam) + Arrays.hashCode(ham) + Long.hashCode(learnedSpam * 7 + learnedHam);
    }

    @Override
    public String toString() {
        return "ModelCounts[features=" + spam.length + ", learnedSpam=" + learnedSpam + ", learnedHam=" + learnedHam + "]";
    }
}
