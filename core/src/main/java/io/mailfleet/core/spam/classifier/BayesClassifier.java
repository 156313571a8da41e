package io.mailfleet.core.spam.classifier;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Robinson's naive Bayes with Fisher's chi-square combining, as SpamAssassin's and Rspamd's Bayes,
 * joined by the model's logistic regression ({@link #spamProbability(Evidence)}):
 * each feature's spam probability from the learned counts, shrunk toward 0.5 when it was seen
 * rarely, only the {@link #MAX_SIGNIFICANT} features furthest from 0.5 combined. No verdict until the
 * model learned at least {@code minLearns} spam and {@code minLearns} ham (Rspamd's {@code min_learns}).
 */
public final class BayesClassifier {

    /** Rspamd's default {@code min_learns}. */
    public static final int DEFAULT_MIN_LEARNS = 200;
    /** Features combined per message (SpamAssassin takes 150). */
    static final int MAX_SIGNIFICANT = 150;
    /** Robinson's s (strength of the prior) and x (the prior). */
    private static final double S = 1.0;
    private static final double X = 0.5;
    /** Features closer to 0.5 than this say nothing and are left out. */
    private static final double MIN_DISTANCE = 0.1;

    /**
     * The weight of the Bayes verdict's log-odds beside the regression's, chosen with the regression's
     * learning rate by 4-fold cross-validation on the training half of the SpamAssassin corpus.
     */
    static final double BAYES_SHARE = 0.05;
    /**
     * Messages of each kind the regression must have learned before it joins the verdict, whatever the
     * configured {@code minLearns}: one online step per message leaves a regression that saw a few dozen
     * unsure of everything, while counts are sure after a few (it was tuned with hundreds of each).
     */
    static final int LOGISTIC_MIN_LEARNS = DEFAULT_MIN_LEARNS;

    private final int minLearns;

    public BayesClassifier(int minLearns) {
        if (minLearns < 1) {
            throw new IllegalArgumentException("minLearns must be at least 1");
        }
        this.minLearns = minLearns;
    }

    public int minLearns() {
        return minLearns;
    }

    /** Whether {@code c} learned enough of both kinds to judge. */
    public boolean ready(ModelCounts c) {
        return c.learnedSpam() >= minLearns && c.learnedHam() >= minLearns;
    }

    /** The probability (0 to 1) that a message with these counts is spam, or empty when the model is not ready. */
    public OptionalDouble spamProbability(ModelCounts c) {
        if (!ready(c)) {
            return OptionalDouble.empty();
        }
        double[] f = new double[c.spam().length];
        int n = 0;
        for (int i = 0; i < f.length; i++) {
            int s = c.spam()[i];
            int h = c.ham()[i];
            if (s + h == 0) {
                continue;
            }
            double ps = (double) s / c.learnedSpam();
            double ph = (double) h / c.learnedHam();
            double p = ps / (ps + ph);
            double total = s + h;
            double robinson = (S * X + total * p) / (S + total);
            if (Math.abs(robinson - 0.5) >= MIN_DISTANCE) {
                f[n++] = robinson;
            }
        }
        if (n == 0) {
            return OptionalDouble.of(0.5);
        }
        double[] sig = Arrays.copyOf(f, n);
        if (n > MAX_SIGNIFICANT) {
            Double[] boxed = Arrays.stream(sig).boxed().toArray(Double[]::new);
            Arrays.sort(boxed, (a, b) -> Double.compare(Math.abs(b - 0.5), Math.abs(a - 0.5)));
            sig = Arrays.stream(boxed, 0, MAX_SIGNIFICANT).mapToDouble(Double::doubleValue).toArray();
            n = MAX_SIGNIFICANT;
        }
        double lnHam = 0;
        double lnSpam = 0;
        for (double p : sig) {
            double q = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
            lnHam += Math.log(q);
            lnSpam += Math.log(1 - q);
        }
        double hamness = chi2Q(-2 * lnHam, 2 * n); // small when the features look spammy
        double spamness = chi2Q(-2 * lnSpam, 2 * n);
        return OptionalDouble.of((1 + hamness - spamness) / 2);
    }

    /**
     * The probability (0 to 1) that a message is spam from both of a model's parts, or empty when the
     * model is not ready: the regression's log-odds plus {@link #BAYES_SHARE} of the Bayes verdict's, once
     * the regression learned {@code minLearns} and at least {@link #LOGISTIC_MIN_LEARNS} of each kind itself
     * (until then, and in a model stored before it existed, the counts judge alone). Unlike Fisher's combining, whose verdicts pile up at
     * exactly 0 and 1, the sum keeps ordering the surest messages, and the regression's log loss makes
     * it a probability the thresholds can trust.
     */
    public OptionalDouble spamProbability(Evidence e) {
        OptionalDouble bayes = spamProbability(e.counts());
        int needed = Math.max(minLearns, LOGISTIC_MIN_LEARNS);
        if (bayes.isEmpty() || e.logisticSpam() < needed || e.logisticHam() < needed) {
            return bayes;
        }
        double p = Math.min(Math.max(bayes.getAsDouble(), 1e-9), 1 - 1e-9);
        double z = e.logit() + BAYES_SHARE * Math.log(p / (1 - p));
        return OptionalDouble.of(1 / (1 + Math.exp(-z)));
    }

    /** The chi-square survival function for an even number of degrees of freedom. */
    static double chi2Q(double chi2, int df) {
        double m = chi2 / 2;
        double term = Math.exp(-m);
        double sum = term;
        for (int i = 1; i < df / 2; i++) {
            term *= m / i;
            sum += term;
        }
        return Math.min(sum, 1.0);
    }
}
