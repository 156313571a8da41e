package io.mailfleet.core.spam.classifier;

import java.util.concurrent.CompletionStage;

/** Where the classifier's models live (cluster-wide sharded entities in a server). */
public interface ModelStore {

    /** The id of the model every account shares. */
    String GLOBAL = "global";

    /** The id of one account's own model. */
    static String account(String account) {
        return "account:" + account.toLowerCase(java.util.Locale.ROOT);
    }

    /** The counts model {@code model} holds for {@code features}. */
    CompletionStage<ModelCounts> counts(String model, int[] features);

    /** What model {@code model} knows about {@code features}: its counts, and its regression's verdict where it keeps one. */
    default CompletionStage<Evidence> evidence(String model, int[] features) {
        return counts(model, features).thenApply(Evidence::ofCounts);
    }

    /** Learns one message's {@code features} into {@code model}; completes with the messages it learned of that kind. */
    CompletionStage<Long> learn(String model, int[] features, boolean spam);

    /**
     * Learns one message's {@code features} into {@code model} unless it learned that message already:
     * skipped when learned as the same kind, relearned (the earlier learning undone) when learned as the
     * other kind. A store that keeps no record of learned messages learns every time.
     */
    default CompletionStage<io.mailfleet.core.spam.LearnOutcome> learnOnce(String model, int[] features, boolean spam) {
        return learn(model, features, spam).thenApply(n -> io.mailfleet.core.spam.LearnOutcome.LEARNED);
    }
}
