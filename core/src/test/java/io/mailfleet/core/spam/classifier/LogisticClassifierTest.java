package io.mailfleet.core.spam.classifier;

import io.mailfleet.core.spam.SpamSymbol;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logistic regression beside the Bayes counts: it learns online and replays exactly, each bucket at a
 * rate that shrinks with the gradients it has seen, it joins the
 * verdict only once it learned enough of each kind itself (at least 200, whatever min_learns), and the
 * classifier on models holding both separates held-out spam from ham.
 */
class LogisticClassifierTest {

    /** Models as the cluster entity holds them: counts and regression. */
    private static final class FullStore implements ModelStore {
        final Map<String, ClassifierModel> models = new HashMap<>();

        @Override
        public CompletionStage<ModelCounts> counts(String model, int[] features) {
            return CompletableFuture.completedFuture(models.getOrDefault(model, ClassifierModel.empty()).counts().counts(features));
        }

        @Override
        public CompletionStage<Evidence> evidence(String model, int[] features) {
            return CompletableFuture.completedFuture(models.getOrDefault(model, ClassifierModel.empty()).evidence(features));
        }

        @Override
        public CompletionStage<Long> learn(String model, int[] features, boolean spam) {
            ClassifierModel m = models.getOrDefault(model, ClassifierModel.empty()).learn(features, spam);
            models.put(model, m);
            return CompletableFuture.completedFuture(spam ? m.learnedSpam() : m.learnedHam());
        }
    }

    @Test
    void learnsOnlineAndReplaysExactly() {
        GeneratedMail mail = new GeneratedMail(11);
        java.util.List<int[]> spam = new java.util.ArrayList<>();
        java.util.List<int[]> ham = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            spam.add(Features.of(mail.spam(i)));
            ham.add(Features.of(mail.ham(i)));
        }
        LogisticModel a = LogisticModel.empty();
        LogisticModel b = LogisticModel.empty();
        for (int i = 0; i < 60; i++) {
            a = a.learn(spam.get(i), true).learn(ham.get(i), false);
        }
        for (int i = 0; i < 60; i++) {
            b = b.learn(spam.get(i), true).learn(ham.get(i), false);
        }
        assertEquals(a, b, "the same messages in the same order: the same model (recovery replays events)");
        assertEquals(60, a.learnedSpam());
        assertEquals(Features.TABLE_SIZE, a.weights().length, "one weight per bucket, never more");
        assertEquals(Features.TABLE_SIZE, a.squaredGradients().length, "and one squared-gradient sum");
        assertTrue(a.logit(Features.of(mail.spam(500))) > 0, "held-out spam");
        assertTrue(a.logit(Features.of(mail.ham(500))) < 0, "held-out ham");
        assertEquals(0, LogisticModel.empty().logit(Features.of(mail.spam(1))), "nothing learned: no opinion");
    }

    @Test
    void eachBucketsRateShrinksAsItsGradientsAddUp() {
        int[] seen = {1, 2, 3};
        LogisticModel m = LogisticModel.empty();
        for (int i = 0; i < 50; i++) {
            m = m.learn(seen, true);
        }
        assertEquals(m.squaredGradients()[1], m.squaredGradients()[3], "buckets of the same messages: the same sums");
        assertEquals(0, m.squaredGradients()[4], "a bucket never seen has its first rate");
        // the same gradient moves a fresh bucket further than one that has already learned a lot
        float[] w = m.weights().clone();
        float[] g = m.squaredGradients().clone();
        LogisticModel.step(w, g, 0, new int[] {1, 4}, false);
        double worn = m.weights()[1] - w[1];
        double fresh = -w[4];
        assertTrue(worn > 0 && fresh > 0, "both learn ham: " + worn + ", " + fresh);
        assertTrue(fresh > 1.5 * worn, "the fresh bucket steps further: " + fresh + " against " + worn);
        double gradient = (0 - 1 / (1 + Math.exp(-(m.weights()[1] + m.weights()[4])))) / Math.sqrt(3);
        assertEquals(LogisticModel.RATE * LogisticModel.DECAY * gradient / (LogisticModel.DECAY + Math.abs(gradient)),
                w[4], 1e-6, "a fresh bucket's first step: RATE * DECAY * g / (DECAY + |g|)");
        assertEquals(LogisticModel.RATE * LogisticModel.DECAY * -gradient
                        / (LogisticModel.DECAY + Math.sqrt(m.squaredGradients()[1] + gradient * gradient)),
                worn, 1e-6, "a worn bucket's step: divided by the root of all its squared gradients");
    }

    @Test
    void theRegressionJoinsOnlyOnceItLearnedEnough() {
        BayesClassifier bayes = new BayesClassifier(2);
        ModelCounts spammy = new ModelCounts(new int[] {9, 9}, new int[] {0, 0}, 10, 10);
        double countsAlone = bayes.spamProbability(spammy).orElseThrow();
        assertEquals(OptionalDouble.of(countsAlone), bayes.spamProbability(new Evidence(spammy, -8, 2, 2)),
                "min_learns of each kind is not enough for the regression");
        int needed = BayesClassifier.LOGISTIC_MIN_LEARNS;
        assertEquals(OptionalDouble.of(countsAlone), bayes.spamProbability(new Evidence(spammy, -8, needed - 1, 900)),
                "one spam short: left out");
        double both = bayes.spamProbability(new Evidence(spammy, -8, needed, needed)).orElseThrow();
        double p = Math.min(Math.max(countsAlone, 1e-9), 1 - 1e-9);
        assertEquals(1 / (1 + Math.exp(8 - BayesClassifier.BAYES_SHARE * Math.log(p / (1 - p)))), both, 1e-12);
        assertTrue(both < countsAlone, "a regression sure of ham pulls the verdict down");
        assertTrue(bayes.spamProbability(new Evidence(new ModelCounts(new int[0], new int[0], 1, 9), 5, 9, 9)).isEmpty(),
                "no verdict while the counts are not ready");
    }

    @Test
    void separatesHeldOutSpamFromHamWithBothModels() {
        FullStore store = new FullStore();
        SpamClassifier c = new SpamClassifier(store, new BayesClassifier(BayesClassifier.DEFAULT_MIN_LEARNS));
        GeneratedMail mail = new GeneratedMail(13);
        for (int i = 0; i < 200; i++) {
            c.learn("alice@example.com", Features.of(mail.spam(i)), true).toCompletableFuture().join();
            c.learn("alice@example.com", Features.of(mail.ham(i)), false).toCompletableFuture().join();
        }
        assertEquals(200, store.models.get(ModelStore.GLOBAL).logistic().learnedHam());
        int spamCaught = 0;
        int hamAsSpam = 0;
        for (int i = 1000; i < 1200; i++) {
            Optional<SpamSymbol> s = c.classify("alice@example.com", Features.of(mail.spam(i))).toCompletableFuture().join();
            spamCaught += s.isPresent() && s.get().name().equals("BAYES_SPAM") ? 1 : 0;
            Optional<SpamSymbol> h = c.classify("alice@example.com", Features.of(mail.ham(i))).toCompletableFuture().join();
            hamAsSpam += h.isPresent() && h.get().name().equals("BAYES_SPAM") ? 1 : 0;
        }
        assertTrue(spamCaught >= 195, "spam recall on held-out mail: " + spamCaught + "/200");
        assertEquals(0, hamAsSpam, "ham judged spam");
    }
}
