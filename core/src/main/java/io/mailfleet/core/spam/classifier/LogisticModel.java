package io.mailfleet.core.spam.classifier;

import java.util.Arrays;

/**
 * The classifier's second model: logistic regression with the hashing trick over the same bucket
 * features as the Bayes counts, one weight per bucket ({@value Features#TABLE_SIZE} floats: 1 MB,
 * allocated at the first message learned), trained online, one gradient step per learned message, so
 * replaying the learned messages in order rebuilds it exactly. Naive Bayes counts every word as if it
 * were independent evidence; this model learns how much each one adds given the others, which is what
 * separates the newsletters a user wants from spam (measured on the SpamAssassin corpus, see
 * docs/benchmarks.md). Immutable: learning returns a new model.
 */
public record LogisticModel(float[] weights, double bias, long learnedSpam, long learnedHam) {

    /** The learning rate, chosen by cross-validation on the training half of the SpamAssassin corpus. */
    static final double RATE = 1.0;
    /** The bias moves slower than the weights: it only tracks the mix of spam and ham learned. */
    static final double BIAS_RATE = RATE * 0.1;

    private static final float[] NONE = new float[0];

    /** A model that learned nothing. */
    public static LogisticModel empty() {
        return new LogisticModel(NONE, 0, 0, 0);
    }

    /** The log-odds that a message with {@code features} is spam (0 for a model that learned nothing). */
    public double logit(int[] features) {
        double z = bias;
        for (int f : features) {
            if (f >= 0 && f < weights.length) {
                z += weights[f];
            }
        }
        return z;
    }

    /** This model after one gradient step of the log loss on a message with {@code features}. */
    public LogisticModel learn(int[] features, boolean spam) {
        float[] w = weights.length == 0 ? new float[Features.TABLE_SIZE] : weights.clone();
        double b = step(w, bias, features, spam);
        return new LogisticModel(w, b, learnedSpam + (spam ? 1 : 0), learnedHam + (spam ? 0 : 1));
    }

    /**
     * One gradient step on {@code w} in place; returns the new bias. The step is divided by the square
     * root of the features' number, so a long message moves the model no more than a short one.
     */
    public static double step(float[] w, double bias, int[] features, boolean spam) {
        double z = bias;
        int n = 0;
        for (int f : features) {
            if (f >= 0 && f < w.length) {
                z += w[f];
                n++;
            }
        }
        double error = (spam ? 1 : 0) - 1 / (1 + Math.exp(-z));
        float delta = (float) (RATE * error / Math.sqrt(n + 1));
        for (int f : features) {
            if (f >= 0 && f < w.length) {
                w[f] += delta;
            }
        }
        return bias + BIAS_RATE * error;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogisticModel m && Arrays.equals(weights, m.weights) && bias == m.bias
                && learnedSpam == m.learnedSpam && learnedHam == m.learnedHam;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weights) + Double.hashCode(bias) + Long.hashCode(learnedSpam * 7 + learnedHam);
    }

    @Override
    public String toString() {
        return "LogisticModel[learnedSpam=" + learnedSpam + ", learnedHam=" + learnedHam + ", bias=" + bias + "]";
    }
}
