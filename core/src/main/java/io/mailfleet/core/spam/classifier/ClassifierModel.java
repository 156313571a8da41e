package io.mailfleet.core.spam.classifier;

/**
 * One model of the classifier as stored: the Bayes counts and the logistic regression weights, both
 * learned from the same messages. Immutable: learning returns a new model.
 */
public record ClassifierModel(ModelTable counts, LogisticModel logistic) {

    /** A model that learned nothing. */
    public static ClassifierModel empty() {
        return new ClassifierModel(ModelTable.empty(), LogisticModel.empty());
    }

    /**
     * A model stored before the logistic regression existed (a {@link ModelTable} snapshot): its counts
     * with an empty regression, which learns from the next messages on and is left out of verdicts until
     * it learned enough ({@link BayesClassifier#spamProbability(Evidence)}).
     */
    public static ClassifierModel of(ModelTable counts) {
        return new ClassifierModel(counts, LogisticModel.empty());
    }

    /**
     * A model stored before per-bucket learning rates: its counts and regression weights, the regression
     * going on learning from them (each bucket's rate starting afresh).
     */
    public static ClassifierModel of(LegacyClassifierModel old) {
        return new ClassifierModel(old.counts(), LogisticModel.of(old.logistic()));
    }

    /** This model after learning one message's features as spam or ham. */
    public ClassifierModel learn(int[] features, boolean spam) {
        return new ClassifierModel(counts.learn(features, spam), logistic.learn(features, spam));
    }

    /** What both parts know about {@code features}. */
    public Evidence evidence(int[] features) {
        return new Evidence(counts.counts(features), logistic.logit(features), logistic.learnedSpam(),
                logistic.learnedHam());
    }

    public long learnedSpam() {
        return counts.learnedSpam();
    }

    public long learnedHam() {
        return counts.learnedHam();
    }
}
