package io.mailfleet.bench;

import io.mailfleet.core.spam.classifier.ClassifierModel;
import io.mailfleet.core.spam.classifier.Features;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench corpus} on a small generated corpus in both layouts (raw files, and the SpamAssassin
 * corpus' JSON, some messages in both as the npm package ships them: counted once): directories
 * starting with "spam" are spam, the split is half and half and repeatable, the threshold comes from
 * cross-validation on the training half, and the report gives recall and false positives.
 */
class CorpusBenchTest {

    @TempDir
    Path dir;

    private static String text(Random r, String[] words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            b.append(words[r.nextInt(words.length)]).append(i % 10 == 9 ? "\r\n" : " ");
        }
        return b.toString();
    }

    @Test
    void trainsOnOneHalfAndJudgesTheOther() throws Exception {
        String[] spam = {"winner", "casino", "bonus", "cheap", "pills", "lottery", "claim", "prize", "crypto", "now", "the"};
        String[] ham = {"meeting", "agenda", "review", "budget", "draft", "tomorrow", "thanks", "team", "notes", "the"};
        Random r = new Random(5);
        Files.createDirectories(dir.resolve("spam-1"));
        Files.createDirectories(dir.resolve("easy-ham-1"));
        for (int i = 0; i < 300; i++) {
            String body = text(r, spam);
            Files.writeString(dir.resolve("spam-1/" + i + ".json"), "{\"text\":\"Subject: offer " + i
                    + "\\n\\n" + body.replace("\r\n", "\\n") + "\"}");
            if (i % 3 == 0) { // the npm package's layout: the same message as .txt and .json
                Files.writeString(dir.resolve("spam-1/" + i + ".txt"), "Subject: offer " + i + "\n\n" + body.replace("\r\n", "\n"));
            }
            Files.writeString(dir.resolve("easy-ham-1/" + i), "Subject: notes " + i + "\r\n\r\n" + text(r, ham));
        }
        List<CorpusBench.Sample> samples = CorpusBench.load(dir);
        assertEquals(600, samples.size(), "a message stored as .txt and .json counts once");
        assertEquals(300, samples.stream().filter(CorpusBench.Sample::spam).count());
        CorpusBench.Sample first = samples.stream().filter(CorpusBench.Sample::spam).findFirst().orElseThrow();
        assertTrue(new String(first.message(), StandardCharsets.UTF_8).startsWith("Subject: offer"), "JSON text unwrapped");
        assertTrue(new String(first.message(), StandardCharsets.UTF_8).contains("\r\n\r\n"), "lines end in CRLF");
        CorpusBench.Report report = CorpusBench.score(samples, 200).report();
        assertEquals(600, report.trainSpam() + report.trainHam() + report.best().spam() + report.best().ham());
        assertEquals(report, CorpusBench.score(samples, 200).report(), "the split repeats");
        assertTrue(report.trainSpam() > 100 && report.best().spam() > 100, "about half of each kind trains: " + report);
        assertTrue(report.crossValidated().recall() > 0.95, "cross-validated on the training half: " + report.crossValidated());
        assertTrue(report.atTunedThreshold().recall() > 0.95, "judged at the tuned threshold: " + report.atTunedThreshold());
        assertTrue(report.atSymbol().recall() > 0.95, "recall " + report.atSymbol());
        assertEquals(0, report.atSymbol().hamAsSpam());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CorpusBench(dir, false, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("cross-validation on the training half") && printed.contains("spam recall")
                && printed.contains("ham false positives 0 (0.000 %)"), printed);

        ByteArrayOutputStream cv = new ByteArrayOutputStream();
        new CorpusBench(dir, false, true, new PrintStream(cv, true, StandardCharsets.UTF_8)).run();
        String cvPrinted = cv.toString(StandardCharsets.UTF_8);
        assertTrue(cvPrinted.contains("cross-validation only") && cvPrinted.contains("at <= 0.1 % ham false positives")
                && cvPrinted.contains("at <= 1.0 % ham false positives"), cvPrinted);
        assertTrue(!cvPrinted.contains("judged half"), "--cv never judges the held-out half: " + cvPrinted);

        // the bench's in-place learning is the entity's: one ClassifierModel.learn per message, in order
        List<CorpusBench.Sample> some = new java.util.ArrayList<>(samples.stream().filter(CorpusBench.Sample::spam).limit(20).toList());
        some.addAll(samples.stream().filter(s -> !s.spam()).limit(20).toList());
        java.util.Map<CorpusBench.Sample, int[]> features = new java.util.HashMap<>();
        some.forEach(s -> features.put(s, Features.of(s.message())));
        ClassifierModel entity = ClassifierModel.empty();
        for (CorpusBench.Sample s : CorpusBench.learningOrder(some)) {
            entity = entity.learn(features.get(s), s.spam());
        }
        assertEquals(entity, CorpusBench.model(some, features), "the model the bench measures is the one the entity rebuilds");
    }
}
