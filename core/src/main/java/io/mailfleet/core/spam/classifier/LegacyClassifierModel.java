package io.mailfleet.core.spam.classifier;

/**
 * A model as snapshots stored it before per-coordinate learning rates: the Bayes counts and a
 * {@link LegacyLogisticModel}. Kept so those snapshots still load; {@link ClassifierModel#of(LegacyClassifierModel)}
 * turns it into the current form.
 */
public record LegacyClassifierModel(ModelTable counts, LegacyLogisticModel logistic) {
}
