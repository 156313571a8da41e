package io.mailfleet.core.spam.classifier;

import io.mailfleet.core.spam.LearnOutcome;
import io.mailfleet.core.spam.SpamSymbol;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The classifier over a global and per-account models: a message is judged by the recipient's own
 * model once it learned enough, else by the global one; what a user teaches goes into both. The
 * verdict is a symbol of the built-in scorer, {@code BAYES_SPAM} or {@code BAYES_HAM}, weighted by how
 * sure the model is (Rspamd's weights at certainty: 5.1 and -3).
 */
public final class SpamClassifier {

    /** At or above: BAYES_SPAM; at or below 1 minus it: BAYES_HAM. */
    public static final double SPAM_FROM = 0.7;
    static final double SPAM_WEIGHT = 5.1;
    static final double HAM_WEIGHT = -3.0;

    private final ModelStore store;
    private final BayesClassifier bayes;

    public SpamClassifier(ModelStore store, BayesClassifier bayes) {
        this.store = store;
        this.bayes = bayes;
    }

    /** The symbol for a message to {@code account} (null: global model only), empty when no model is ready or it is unsure. */
    public CompletionStage<Optional<SpamSymbol>> classify(String account, int[] features) {
        CompletableFuture<Evidence> global = store.evidence(ModelStore.GLOBAL, features).toCompletableFuture();
        CompletableFuture<Evidence> own = account == null ? CompletableFuture.completedFuture(null)
                : store.evidence(ModelStore.account(account), features).toCompletableFuture();
        return global.thenCombine(own, (g, o) -> {
            Evidence used = o != null && bayes.ready(o.counts()) ? o : g;
            return symbol(bayes.spamProbability(used), o != null && used == o ? "user" : "global");
        });
    }

    /**
     * Learns a message's features as spam or ham into the account's model and the global one, each of
     * which skips a message it learned as that kind already and relearns one it learned as the other;
     * completes with what the account's model did (the global model's when there is no account).
     */
    public CompletionStage<LearnOutcome> learn(String account, int[] features, boolean spam) {
        CompletableFuture<LearnOutcome> g = store.learnOnce(ModelStore.GLOBAL, features, spam).toCompletableFuture();
        CompletableFuture<LearnOutcome> o = account == null ? g
                : store.learnOnce(ModelStore.account(account), features, spam).toCompletableFuture();
        return g.thenCombine(o, (global, own) -> own);
    }

    /** BAYES_SPAM or BAYES_HAM scaled by the probability, or empty in the unsure middle. */
    static Optional<SpamSymbol> symbol(OptionalDouble p, String model) {
        if (p.isEmpty()) {
            return Optional.empty();
        }
        double v = p.getAsDouble();
        String pct = Math.round(v * 100) + "%";
        if (v >= SPAM_FROM) {
            double w = round(SPAM_WEIGHT * (v - SPAM_FROM) / (1 - SPAM_FROM));
            return Optional.of(new SpamSymbol("BAYES_SPAM", Math.max(w, 0.01),
                    "the " + model + " Bayes model: spam with probability " + pct));
        }
        if (v <= 1 - SPAM_FROM) {
            double w = round(HAM_WEIGHT * (1 - SPAM_FROM - v) / (1 - SPAM_FROM));
            return Optional.of(new SpamSymbol("BAYES_HAM", Math.min(w, -0.01),
                    "the " + model + " Bayes model: ham with probability " + Math.round((1 - v) * 100) + "%"));
        }
        return Optional.empty();
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
