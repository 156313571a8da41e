package io.mailfleet.core.spam.classifier;

/**
 * A message learned as one kind, learned again as the other (a user moved it into Junk and back out):
 * the Bayes counts forget the earlier learning exactly (each of its buckets and the number of messages of
 * that kind decremented, never below zero) and learn the new one, so the counts are as if the message
 * had only ever been learned as the new kind.
 *
 * <p>The logistic regression cannot forget one message exactly: each gradient step depended on every
 * step before it, and rebuilding the weights without the superseded step would mean replaying every
 * message since the model began, which the entity does not keep (it recovers from snapshots). So the
 * regression takes one corrective gradient step towards the new kind, which is what an online learner
 * does with a corrected label (the model predicts the old kind for that message, so the step is large).
 * Its learned counters count gradient steps of each kind and only decide when the regression joins the
 * verdict. Every part is a pure function of the model and the message's features, so replaying the
 * events rebuilds the live model exactly.
 */
public final class Relearning {

    private Relearning() {
    }

    /** {@code model} after the message with {@code features}, learned as the other kind, is relearned as {@code spam}. */
    public static ClassifierModel relearn(ClassifierModel model, int[] features, boolean spam) {
        return new ClassifierModel(unlearn(model.counts(), features, !spam).learn(features, spam),
                model.logistic().learn(features, spam));
    }

    /** {@code table} without one message with {@code features} learned as {@code spam}. */
    static ModelTable unlearn(ModelTable table, int[] features, boolean spam) {
        int[] current = spam ? table.spam() : table.ham();
        int[] target = current.clone();
        for (int f : features) {
            if (f >= 0 && f < target.length && target[f] > 0) {
                target[f]--;
            }
        }
        return spam ? new ModelTable(target, table.ham(), Math.max(0, table.learnedSpam() - 1), table.learnedHam())
                : new ModelTable(table.spam(), target, table.learnedSpam(), Math.max(0, table.learnedHam() - 1));
    }
}
