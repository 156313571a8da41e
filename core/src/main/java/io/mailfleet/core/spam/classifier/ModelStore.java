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
}
