package io.mailfleet.cluster.classifier;

import com.typesafe.config.Config;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.spam.LearnOutcome;
import io.mailfleet.core.spam.classifier.ClassifierModel;
import io.mailfleet.core.spam.classifier.LearnedMessages;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClassifierEntity}'s record of learned messages on Pekko's persistence test kit (commands,
 * replies, events and state through Kryo): a message learned again as the same kind is skipped, as the
 * other kind relearned with the earlier counts undone, the record is bounded, and the state rebuilt from
 * the journal (with and without a snapshot) equals the live one.
 */
class ClassifierLearnCacheTest {

    @TempDir
    Path data;

    private ActorTestKit kit;

    @BeforeEach
    void start() {
        Config config = EventSourcedBehaviorTestKit.config().withFallback(TestNodes.config(data));
        kit = ActorTestKit.create("mailfleet", config);
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private EventSourcedBehaviorTestKit<ClassifierEntity.Command, ClassifierEntity.Event, ClassifierState> entity(
            String id, int remember, boolean serialize) {
        return EventSourcedBehaviorTestKit.create(kit.system(), ClassifierEntity.create(id, remember),
                serialize ? EventSourcedBehaviorTestKit.enabledSerializationSettings()
                        : EventSourcedBehaviorTestKit.disabledSerializationSettings());
    }

    private static ClassifierEntity.LearnReply learn(
            EventSourcedBehaviorTestKit<ClassifierEntity.Command, ClassifierEntity.Event, ClassifierState> es,
            int[] features, boolean spam) {
        return es.<ClassifierEntity.LearnReply>runCommand(r -> new ClassifierEntity.LearnOnce(features, spam, r)).reply();
    }

    private static int[] message(int i) {
        return new int[] {i, 1000 + i, 2000 + i % 7, 5};
    }

    @Test
    void learnedOnceThenRelearnedAsTheOtherKindAndRebuiltExactly() {
        var es = entity("account:alice@example.com", 100, true);
        int[] moved = message(1);
        int[] other = message(2);
        var first = es.<ClassifierEntity.LearnReply>runCommand(r -> new ClassifierEntity.LearnOnce(moved, true, r));
        assertEquals(new ClassifierEntity.LearnReply(LearnOutcome.LEARNED, 1, 0), first.reply());
        assertInstanceOf(ClassifierEntity.Learned.class, first.event());

        var again = es.<ClassifierEntity.LearnReply>runCommand(r -> new ClassifierEntity.LearnOnce(moved, true, r));
        assertEquals(new ClassifierEntity.LearnReply(LearnOutcome.ALREADY_LEARNED, 1, 0), again.reply());
        assertTrue(again.hasNoEvents(), "already learned: nothing persisted");

        assertEquals(LearnOutcome.LEARNED, learn(es, other, false).outcome());
        var back = es.<ClassifierEntity.LearnReply>runCommand(r -> new ClassifierEntity.LearnOnce(moved, false, r));
        assertEquals(new ClassifierEntity.LearnReply(LearnOutcome.RELEARNED, 0, 2), back.reply());
        assertEquals(new ClassifierEntity.Relearned(moved, false), back.event());

        ClassifierModel onlyHam = ClassifierModel.empty().learn(other, false).learn(moved, false);
        ClassifierState live = es.getState();
        int[] all = {1, 2, 5, 1001, 1002, 2001, 2002};
        assertEquals(onlyHam.counts().counts(all), live.model().counts().counts(all),
                "counted once, as ham: the spam learning undone exactly");
        assertTrue(java.util.Arrays.stream(live.model().counts().spam()).allMatch(n -> n == 0), "no spam count left");
        assertEquals(Boolean.FALSE, live.learned().learnedAs(LearnedMessages.digest(moved)));
        assertEquals(LearnOutcome.ALREADY_LEARNED, learn(es, moved, false).outcome());
        // the form before LearnOnce is answered from the same record
        assertEquals(new ClassifierEntity.LearnedCount(2), es.<ClassifierEntity.LearnedCount>runCommand(
                r -> new ClassifierEntity.Learn(moved, false, r)).reply());

        es.restart();
        assertEquals(live, es.getState(), "the journal rebuilds the live model and record exactly");
        assertEquals(LearnOutcome.ALREADY_LEARNED, learn(es, moved, false).outcome(), "remembered across a restart");
    }

    @Test
    void aRebuildFromASnapshotAndLaterEventsEqualsTheLiveState() {
        var es = entity("global", 1000, false);
        for (int i = 0; i < ClassifierEntity.SNAPSHOT_EVERY + 10; i++) {
            learn(es, message(i), i % 2 == 0);
        }
        // moved back after the snapshot: the relearning of messages the snapshot holds
        for (int i = 0; i < 10; i++) {
            assertEquals(LearnOutcome.RELEARNED, learn(es, message(i), i % 2 != 0).outcome());
        }
        ClassifierState live = es.getState();
        assertEquals((ClassifierEntity.SNAPSHOT_EVERY + 10) / 2, live.model().learnedSpam());
        assertEquals((ClassifierEntity.SNAPSHOT_EVERY + 10) / 2, live.model().learnedHam());
        es.restart();
        assertEquals(live, es.getState());
    }

    @Test
    void theRecordIsBoundedAndZeroRemembersNothing() {
        var es = entity("account:bob@example.com", 2, true);
        learn(es, message(1), true);
        learn(es, message(2), true);
        learn(es, message(3), true);
        assertEquals(2, es.getState().learned().size());
        var fellOut = es.<ClassifierEntity.LearnReply>runCommand(r -> new ClassifierEntity.LearnOnce(message(1), true, r));
        assertEquals(LearnOutcome.LEARNED, fellOut.reply().outcome(), "fallen out of the record: learned as new");
        assertEquals(4, fellOut.reply().learnedSpam());
        assertEquals(LearnOutcome.RELEARNED, learn(es, message(3), false).outcome());

        var none = entity("account:carol@example.com", 0, true);
        assertEquals(LearnOutcome.LEARNED, learn(none, message(1), true).outcome());
        assertEquals(new ClassifierEntity.LearnReply(LearnOutcome.LEARNED, 2, 0), learn(none, message(1), true));
        assertEquals(0, none.getState().learned().capacity());
    }

    @Test
    void storedFormsKeepLoading() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        LearnedMessages learned = LearnedMessages.empty().remember(LearnedMessages.digest(new int[] {1, 2}), true, 3)
                .remember(LearnedMessages.digest(new int[] {7}), false, 3);
        GoldenBytes.verify(codec, learned, "golden/cluster/classifier-learned-messages.b64");
        GoldenBytes.verify(codec, new ClassifierState(ClassifierModel.empty(), learned),
                "golden/cluster/classifier-state.b64");
        GoldenBytes.verify(codec, new ClassifierEntity.Relearned(new int[] {3, 70, 65535}, false),
                "golden/cluster/classifier-relearned.b64");
        GoldenBytes.verify(codec, new ClassifierEntity.LearnReply(LearnOutcome.RELEARNED, 12, 30),
                "golden/cluster/classifier-learn-reply.b64");
    }
}
