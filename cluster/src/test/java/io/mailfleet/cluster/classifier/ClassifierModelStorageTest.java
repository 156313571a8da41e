package io.mailfleet.cluster.classifier;

import io.mailfleet.core.spam.classifier.ClassifierModel;
import io.mailfleet.core.spam.classifier.Evidence;
import io.mailfleet.core.spam.classifier.Features;
import io.mailfleet.core.spam.classifier.LegacyClassifierModel;
import io.mailfleet.core.spam.classifier.LegacyLogisticModel;
import io.mailfleet.core.spam.classifier.LogisticModel;
import io.mailfleet.core.spam.classifier.ModelCounts;
import io.mailfleet.core.spam.classifier.ModelTable;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifier's stored forms since the logistic regression: every snapshot form and message keeps
 * loading (golden bytes), a snapshot stored before the regression (a bare {@link ModelTable}) recovers
 * as its counts with an empty regression, and one stored before per-bucket learning rates (a
 * {@link LegacyClassifierModel}) as its counts and weights.
 */
class ClassifierModelStorageTest {

    @Test
    void storedFormsKeepLoading() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        // the bytes stored before per-bucket learning rates (recorded as ClassifierModel/LogisticModel, same ids)
        LegacyClassifierModel legacy = new LegacyClassifierModel(new ModelTable(new int[] {1, 0, 2}, new int[] {0, 3, 0}, 3, 3),
                new LegacyLogisticModel(new float[] {0.5f, -1.25f, 0f}, 0.125, 3, 3));
        GoldenBytes.verify(codec, legacy, "golden/cluster/classifier-model.b64");
        GoldenBytes.verify(codec, new Evidence(new ModelCounts(new int[] {1}, new int[] {0}, 3, 4), -2.5, 3, 4),
                "golden/cluster/classifier-evidence.b64");
        ClassifierModel adaptive = new ClassifierModel(new ModelTable(new int[] {1, 0, 2}, new int[] {0, 3, 0}, 3, 3),
                new LogisticModel(new float[] {0.5f, -1.25f, 0f}, new float[] {0.25f, 0.0625f, 0f}, 0.125, 3, 3));
        GoldenBytes.verify(codec, adaptive, "golden/cluster/classifier-model-adaptive.b64");
    }

    @Test
    void aSnapshotFromBeforePerBucketRatesKeepsItsCountsAndWeights() {
        LegacyClassifierModel old = new LegacyClassifierModel(ModelTable.empty().learn(new int[] {1, 2}, true),
                new LegacyLogisticModel(new float[Features.TABLE_SIZE], 0.25, 1, 0));
        old.logistic().weights()[2] = 1.5f;
        ClassifierModel recovered = ClassifierEntity.fromSnapshot(old);
        assertSame(old.counts(), recovered.counts());
        assertSame(old.logistic().weights(), recovered.logistic().weights());
        assertEquals(0.25 + 1.5, recovered.logistic().logit(new int[] {2}), 1e-9, "the same verdicts as before");
        assertEquals(1, recovered.logistic().learnedSpam());
        assertEquals(Features.TABLE_SIZE, recovered.logistic().squaredGradients().length);
        ClassifierModel next = recovered.learn(new int[] {2, 3}, false);
        assertEquals(1, next.logistic().learnedHam(), "the regression goes on learning from it");
        assertTrue(next.logistic().squaredGradients()[3] > 0, "its buckets' rates now start to shrink");
        assertEquals(1.5f, recovered.logistic().weights()[2], "the recovered state is not changed by learning");
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
