package io.mailfleet.cluster.quota;

import com.typesafe.config.Config;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link QuotaWarningEntity} on Pekko's persistence test kit (events through Kryo): a crossing warns once,
 * a drop re-arms, a recovered entity remembers; the level arithmetic of {@link QuotaWatcher}; golden bytes.
 */
class QuotaWarningEntityTest {

    @TempDir
    Path data;

    private ActorTestKit kit;
    private EventSourcedBehaviorTestKit<QuotaWarningEntity.Command, QuotaWarningEntity.LevelChanged,
            QuotaWarningEntity.State> es;

    @BeforeEach
    void start() {
        Config config = EventSourcedBehaviorTestKit.config().withFallback(TestNodes.config(data));
        kit = ActorTestKit.create("mailfleet", config);
        es = EventSourcedBehaviorTestKit.create(kit.system(), QuotaWarningEntity.create("user@example.com"),
                EventSourcedBehaviorTestKit.enabledSerializationSettings());
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private boolean observe(int level) {
        return es.<QuotaWarningEntity.Crossing>runCommand(r -> new QuotaWarningEntity.Observe(level, r)).reply().warn();
    }

    @Test
    void aCrossingWarnsOnceAndADropReArms() {
        assertTrue(observe(80), "first time at 80 %");
        assertFalse(observe(80), "another node (or message) seeing 80 % again");
        assertTrue(observe(95));
        assertFalse(observe(80), "dropping to 80 % warns nothing");
        assertTrue(observe(95), "and re-arms 95 %");
        assertFalse(observe(0));
        assertTrue(observe(80), "below all levels re-arms 80 %");
        es.restart();
        assertEquals(80, es.getState().level(), "the level survives a restart");
        assertFalse(observe(80));
    }

    @Test
    void levelIsTheHighestPercentageReached() {
        List<Integer> desc = List.of(95, 80);
        assertEquals(0, QuotaWatcher.level(desc, 7_999, 10_000));
        assertEquals(80, QuotaWatcher.level(desc, 8_000, 10_000));
        assertEquals(80, QuotaWatcher.level(desc, 9_499, 10_000));
        assertEquals(95, QuotaWatcher.level(desc, 12_000, 10_000), "over the quota (grace) is still 95 %");
        assertEquals(0, QuotaWatcher.level(desc, 12_000, 0), "no quota, no warning");
    }

    @Test
    void storedFormsKeepLoading() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        GoldenBytes.verify(codec, new QuotaWarningEntity.LevelChanged(95), "golden/cluster/quota-warning-level-changed.b64");
        GoldenBytes.verify(codec, new QuotaWarningEntity.State(80), "golden/cluster/quota-warning-state.b64");
    }
}
