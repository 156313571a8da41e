package io.mailfleet.cluster.classifier;

import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.spam.classifier.BayesClassifier;
import io.mailfleet.core.spam.classifier.ClassifierModel;
import io.mailfleet.core.spam.classifier.Features;
import io.mailfleet.core.spam.classifier.ModelCounts;
import io.mailfleet.core.spam.classifier.ModelStore;
import io.mailfleet.core.spam.classifier.ModelTable;
import io.mailfleet.core.spam.classifier.SpamClassifier;
import io.mailfleet.core.spam.SpamSymbol;
import io.mailfleet.persistence.journal.JournalSchema;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifier's models across two nodes in one JVM: what node A learns node B classifies with, both
 * nodes give the same verdict, and the models survive a restart of the whole cluster (events and
 * snapshots through Kryo on the H2 journal); golden bytes of what is stored.
 */
class ClassifierClusterTest {

    @TempDir
    Path data;

    private static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static byte[] mail(String subject, String body) {
        return ("From: x@example.net\r\nTo: alice@example.com\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] spam(int i) {
        return mail("cheap pills offer " + i, "Winner! Claim your lottery prize " + i
                + " now, cheap pills and casino bonus, click to unsubscribe. Guaranteed crypto investment.");
    }

    static byte[] ham(int i) {
        return mail("meeting notes " + i, "Hi team, the project review " + i
                + " moves to tomorrow; the agenda and budget draft are attached. Thanks, regards.");
    }

    @Test
    void learningOnOneNodeCountsOnTheOtherAndSurvivesRestart() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        Optional<SpamSymbol> beforeRestart;
        try {
            JournalSchema.ensure(a.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            SpamClassifier onA = new SpamClassifier(ClusterModelStore.start(a.system()), new BayesClassifier(5));
            SpamClassifier onB = new SpamClassifier(ClusterModelStore.start(b.system()), new BayesClassifier(5));
            int[] probe = Features.of(spam(99));
            assertTrue(get(onB.classify("alice@example.com", probe)).isEmpty(), "nothing learned: no verdict");
            // more than a snapshot's worth of events, so recovery reads a snapshot and events after it
            for (int i = 0; i < ClassifierEntity.SNAPSHOT_EVERY / 2 + 5; i++) {
                get(onA.learn("alice@example.com", Features.of(spam(i)), true));
                get(onA.learn("alice@example.com", Features.of(ham(i)), false));
            }
            beforeRestart = get(onB.classify("alice@example.com", probe));
            assertEquals("BAYES_SPAM", beforeRestart.orElseThrow().name(), "B classifies with what A learned");
            assertEquals(beforeRestart, get(onA.classify("alice@example.com", probe)), "both nodes alike");
            assertEquals("BAYES_HAM", get(onB.classify("bob@example.com", Features.of(ham(500)))).orElseThrow().name(),
                    "another account: the global model");
        } finally {
            b.shutdownTestKit();
            a.shutdownTestKit();
        }

        ActorTestKit c = TestNodes.node(data);
        try {
            TestNodes.join(c.system(), c.system());
            TestNodes.awaitUp(c.system(), 1);
            ClusterModelStore store = ClusterModelStore.start(c.system());
            SpamClassifier onC = new SpamClassifier(store, new BayesClassifier(5));
            assertEquals(beforeRestart, get(onC.classify("alice@example.com", Features.of(spam(99)))),
                    "the same verdict after a restart");
            ModelCounts global = get(store.counts(ModelStore.GLOBAL, new int[0]));
            assertEquals(ClassifierEntity.SNAPSHOT_EVERY / 2 + 5, global.learnedSpam());
            assertEquals(ClassifierEntity.SNAPSHOT_EVERY / 2 + 5, global.learnedHam());
            // the recovered model (snapshot + events) is exactly the one learning the same messages in order builds
            ClassifierModel replayed = ClassifierModel.empty();
            for (int i = 0; i < ClassifierEntity.SNAPSHOT_EVERY / 2 + 5; i++) {
                replayed = replayed.learn(Features.of(spam(i)), true).learn(Features.of(ham(i)), false);
            }
            int[] probe = Features.of(spam(99));
            assertEquals(replayed.evidence(probe), get(store.evidence(ModelStore.GLOBAL, probe)),
                    "counts and the regression's log-odds rebuilt exactly");
            assertEquals(1, get(store.counts(ModelStore.GLOBAL, new int[] {-1, Features.TABLE_SIZE, 3})).spam().length,
                    "buckets outside the table are dropped");
        } finally {
            c.shutdownTestKit();
        }
    }

    @Test
    void storedFormsKeepLoading() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        GoldenBytes.verify(codec, new ClassifierEntity.Learned(new int[] {3, 70, 65535}, true),
                "golden/cluster/classifier-learned.b64");
        ModelTable t = ModelTable.empty().learn(new int[] {1, 2, 3}, true).learn(new int[] {2, 9}, false);
        GoldenBytes.verify(codec, t, "golden/cluster/classifier-model-table.b64");
        GoldenBytes.verify(codec, new ModelCounts(new int[] {1, 0}, new int[] {0, 2}, 7, 8),
                "golden/cluster/classifier-model-counts.b64");
        GoldenBytes.verify(codec, new ClassifierEntity.LearnedCount(12), "golden/cluster/classifier-learned-count.b64");
    }
}
