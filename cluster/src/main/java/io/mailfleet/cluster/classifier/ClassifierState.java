package io.mailfleet.cluster.classifier;

import io.mailfleet.core.spam.classifier.ClassifierModel;
import io.mailfleet.core.spam.classifier.LearnedMessages;

/**
 * The state of one {@link ClassifierEntity}: the model, and the record of which messages it learned
 * and as what (so a message is learned once, and moved back it is relearned rather than counted twice).
 */
public record ClassifierState(ClassifierModel model, LearnedMessages learned) {

    /** A model that learned nothing. */
    public static ClassifierState empty() {
        return new ClassifierState(ClassifierModel.empty(), LearnedMessages.empty());
    }

    /** A model stored before the record of learned messages existed: it remembers the messages learned from now on. */
    public static ClassifierState of(ClassifierModel model) {
        return new ClassifierState(model, LearnedMessages.empty());
    }
}
