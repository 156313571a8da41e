package io.mailfleet.core.spam.classifier;

import java.util.Arrays;

/**
 * The classifier's regression as snapshots stored it before per-coordinate learning rates (one weight per
 * bucket, all learned at one rate): kept so those snapshots still load; {@link ClassifierModel#of(LegacyClassifierModel)}
 * turns it into a {@link LogisticModel} with these weights. Nothing learns into this form any more.
 */
public record LegacyLogisticModel(float[] weights, double bias, long learnedSpam, long learnedHam) {

    @Override
    public boolean equals(Object o) {
        return o instanceof LegacyLogisticModel m && Arrays.equals(weights, m.weights) && bias == m.bias
                && learnedSpam == m.learnedSpam && learnedHam == m.learnedHam;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weights) + Double.hashCode(bias) + Long.hashCode(learnedSpam * 7 + learnedHam);
    }

    @Override
    public String toString() {
        return "LegacyLogisticModel[learnedSpam=" + learnedSpam + ", learnedHam=" + learnedHam + "]";
    }
}
