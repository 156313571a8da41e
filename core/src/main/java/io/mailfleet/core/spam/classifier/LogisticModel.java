package io.mailfleet.core.spam.classifier;

import java.util.Arrays;

/**
 * The classifier's second model: logistic regression with the hashing trick over the same bucket
 * features as the Bayes counts, one weight per bucket, trained online, one step per learned message,
 * so replaying the learned messages in order rebuilds it exactly. Naive Bayes counts every word as if
 * it were independent evidence; this model learns how much each one adds given the others, which is
 * what separates the newsletters a user wants from spam (measured on the SpamAssassin corpus, see
 * docs/benchmarks.md).
 *
 * <p>Each bucket learns at its own rate (AdaGrad): {@link #RATE} at first, shrinking as the squared
 * gradients that bucket has seen add up ({@link #DECAY}), so words seen in every message stop swinging the
 * model while a new spammer's words still move it at full speed; a one-pass learner gains most from it.
 * Two floats per bucket ({@value Features#TABLE_SIZE} buckets: 2 MB, allocated at the first message
 * learned). Immutable: learning returns a new model.
 */
public record LogisticModel(float[] weights, float[] squaredGradients, double bias, long learnedSpam, long learnedHam) {

    /**
     * A bucket's first learning rate, and the squared-gradient sum at which its rate has halved; both
     * chosen by 4-fold cross-validation on the training half of the SpamAssassin corpus.
     */
    static final double RATE = 1.0;
    static final double DECAY = 0.1;
    /** The bias moves slower than the weights, at a fixed rate: it only tracks the mix of spam and ham learned. */
    static final double BIAS_RATE = 0.1;

    private static final float[] NONE = new float[0];

    /** A model that learned nothing. */
    public static LogisticModel empty() {
        return new LogisticModel(NONE, NONE, 0, 0, 0);
    }

    /**
     * A regression stored before per-bucket rates: its weights and bias, every bucket's rate starting
     * afresh (the old steps' gradients were not kept).
     */
    public static LogisticModel of(LegacyLogisticModel old) {
        float[] g = old.weights().length == 0 ? NONE : new float[old.weights().length];
        return new LogisticModel(old.weights(), g, old.bias(), old.learnedSpam(), old.learnedHam());
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

    /** This model after one step of the log loss on a message with {@code features}. */
    public LogisticModel learn(int[] features, boolean spam) {
        float[] w = weights.length == 0 ? new float[Features.TABLE_SIZE] : weights.clone();
        float[] g = squaredGradients.length == 0 ? new float[w.length] : squaredGradients.clone();
        double b = step(w, g, bias, features, spam);
        return new LogisticModel(w, g, b, learnedSpam + (spam ? 1 : 0), learnedHam + (spam ? 0 : 1));
    }

    /**
     * One step on {@code w} and {@code g} in place; returns the new bias. The gradient is divided by the
     * square root of the features' number, so a long message moves the model no more than a short one;
     * a bucket's step is {@code RATE * DECAY / (DECAY + sqrt(its squared gradients so far))} times it.
     */
    public static double step(float[] w, float[] g, double bias, int[] features, boolean spam) {
        double z = bias;
        int n = 0;
        for (int f : features) {
            if (f >= 0 && f < w.length) {
                z += w[f];
                n++;
            }
        }
        double error = (spam ? 1 : 0) - 1 / (1 + Math.exp(-z));
        double gradient = error / Math.sqrt(n + 1);
        float squared = (float) (gradient * gradient);
        for (int f : features) {
            if (f >= 0 && f < w.length) {
                g[f] += squared;
                w[f] += (float) (RATE * DECAY * gradient / (DECAY + Math.sqrt(g[f])));
            }
        }
        return bias + BIAS_RATE * error;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogisticModel m && Arrays.equals(weights, m.weights)
                && Arrays.equals(squaredGradients, m.squaredGradients) && bias == m.bias
                && learnedSpam == m.learnedSpam && learnedHam == m.learnedHam;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weights) + Arrays.hashCode(squaredGradients) + Double.hashCode(bias)
                + Long.hashCode(learnedSpam * 7 + learnedHam);
    }

    @Override
    public String toString() {
        return "LogisticModel[learnedSpam=" + learnedSpam + ", learnedHam=" + learnedHam + ", bias=" + bias + "]";
    }
}
