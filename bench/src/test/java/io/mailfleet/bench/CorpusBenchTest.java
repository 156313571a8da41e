package io.mailfleet.bench;

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
 * corpus' JSON): directories starting with "spam" are spam, the split is half and half and repeatable,
 * and the report gives recall, precision and false positives.
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
            Files.writeString(dir.resolve("spam-1/" + i + ".json"), "{\"text\":\"Subject: offer " + i
                    + "\\n\\n" + text(r, spam).replace("\r\n", "\\n") + "\"}");
            Files.writeString(dir.resolve("easy-ham-1/" + i), "Subject: notes " + i + "\r\n\r\n" + text(r, ham));
        }
        List<CorpusBench.Sample> samples = CorpusBench.load(dir);
        assertEquals(600, samples.size());
        assertEquals(300, samples.stream().filter(CorpusBench.Sample::spam).count());
        assertTrue(new String(samples.stream().filter(CorpusBench.Sample::spam).findFirst().orElseThrow().message(),
                StandardCharsets.UTF_8).startsWith("Subject: offer"), "JSON text unwrapped");
        CorpusBench.Report report = CorpusBench.evaluate(samples, 200);
        assertEquals(600, report.trainSpam() + report.trainHam() + report.testSpam() + report.testHam());
        assertEquals(report, CorpusBench.evaluate(samples, 200), "the split repeats");
        assertTrue(report.recall() > 0.95, "recall " + report.recall());
        assertEquals(0, report.hamAsSpam());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CorpusBench(dir, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("spam recall") && printed.contains("ham false positives 0 (0.000 %)"), printed);
    }
}
