package io.mailfleet.cluster.classifier;

import io.mailfleet.core.spam.classifier.ClassifierModel;
import io.mailfleet.core.spam.classifier.Evidence;
import io.mailfleet.core.spam.classifier.LogisticModel;
import io.mailfleet.core.spam.classifier.ModelCounts;
import io.mailfleet.core.spam.classifier.ModelTable;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The classifier's stored forms since the logistic regression: the new snapshot and messages keep
 * loading (golden bytes), and a snapshot stored before the regression (a bare {@link ModelTable})
 * recovers as its counts with an empty regression.
 */
class ClassifierModelStorageTest {

    @Test
    void newStoredFormsKeepLoading() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        ClassifierModel model = new ClassifierModel(new ModelTable(new int[] {1, 0, 2}, new int[] {0, 3, 0}, 3, 3),
                new LogisticModel(new float[] {0.5f, -1.25f, 0f}, 0.125, 3, 3));
        GoldenBytes.verify(codec, model, "golden/cluster/classifier-model.b64");
        GoldenBytes.verify(codec, new Evidence(new ModelCounts(new int[] {1}, new int[] {0}, 3, 4), -2.5, 3, 4),
                "golden/cluster/classifier-evidence.b64");
    }

    @Test
    void aSnapshotFromBeforeTheRegressionRecoversAsItsCounts() {
        ModelTable old = ModelTable.empty().learn(new int[] {1, 2, 3}, true).learn(new int[] {2, 9}, false);
        ClassifierModel recovered = ClassifierEntity.fromSnapshot(old);
        assertSame(old, recovered.counts());
        assertEquals(LogisticModel.empty(), recovered.logistic());
        assertEquals(0, recovered.evidence(new int[] {1, 2}).logisticSpam(), "the regression is not ready yet");
        ClassifierModel current = ClassifierModel.empty().learn(new int[] {4}, true);
        assertSame(current, ClassifierEntity.fromSnapshot(current));
        ClassifierModel next = recovered.learn(new int[] {1, 2}, true);
        assertEquals(2, next.learnedSpam(), "the counts go on from the old snapshot");
        assertEquals(1, next.logistic().learnedSpam(), "the regression learns from the next message on");
    }
}
