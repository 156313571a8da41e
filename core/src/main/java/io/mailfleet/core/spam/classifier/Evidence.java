package io.mailfleet.core.spam.classifier;

/**
 * What a model knows about one message's features: the Bayes counts, and the logistic regression's
 * log-odds with the spam and ham messages that regression learned (fewer than the counts' in a model
 * stored before the regression existed).
 */
public record Evidence(ModelCounts counts, double logit, long logisticSpam, long logisticHam) {

    /** Evidence of the counts alone (a store that keeps no regression). */
    public static Evidence ofCounts(ModelCounts counts) {
        return new Evidence(counts, 0, 0, 0);
    }
}
