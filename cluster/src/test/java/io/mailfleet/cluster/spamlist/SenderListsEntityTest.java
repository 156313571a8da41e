package io.mailfleet.cluster.spamlist;

import com.typesafe.config.Config;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.service.SenderListStore;
import io.mailfleet.core.spam.SenderLists;
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

/**
 * {@link SenderListsEntity} on Pekko's persistence test kit (commands, replies and events through Kryo):
 * add, duplicates, the per-list bound, remove, clear, recovery; golden bytes of what is stored.
 */
class SenderListsEntityTest {

    @TempDir
    Path data;

    private ActorTestKit kit;
    private EventSourcedBehaviorTestKit<SenderListsEntity.Command, SenderListsEntity.Event, SenderListsEntity.State> es;

    @BeforeEach
    void start() {
        Config config = EventSourcedBehaviorTestKit.config().withFallback(TestNodes.config(data));
        kit = ActorTestKit.create("mailfleet", config);
        es = EventSourcedBehaviorTestKit.create(kit.system(), SenderListsEntity.create("alice@example.com"),
                EventSourcedBehaviorTestKit.enabledSerializationSettings());
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private int add(boolean block, String entry) {
        return es.<SenderListsEntity.Done>runCommand(r -> new SenderListsEntity.AddEntry(block, entry, r)).reply().changed();
    }

    private int remove(boolean block, String entry) {
        return es.<SenderListsEntity.Done>runCommand(r -> new SenderListsEntity.RemoveEntry(block, entry, r))
                .reply().changed();
    }

    @Test
    void addRemoveClearAndRecover() {
        assertEquals(1, add(false, "friend@x.test"));
        assertEquals(0, add(false, "friend@x.test"), "an entry is once per list");
        assertEquals(1, add(true, "friend@x.test"), "the other list is another list");
        assertEquals(1, add(true, "*.spam.test"));
        for (int i = 1; i < SenderListStore.MAX_PER_LIST; i++) {
            assertEquals(1, add(false, "d" + i + ".test"));
        }
        assertEquals(0, add(false, "one-too-many.test"), "a list holds at most " + SenderListStore.MAX_PER_LIST);
        assertEquals(1, remove(true, "friend@x.test"));
        assertEquals(0, remove(true, "friend@x.test"));
        es.restart();
        SenderLists l = es.getState().lists();
        assertEquals(SenderListStore.MAX_PER_LIST, l.allow().size());
        assertEquals(List.of("*.spam.test"), l.block());
        assertEquals(l, es.<SenderListsEntity.Lists>runCommand(SenderListsEntity.GetLists::new).reply().lists());
        assertEquals(SenderListStore.MAX_PER_LIST + 1,
                es.<SenderListsEntity.Done>runCommand(SenderListsEntity.Clear::new).reply().changed());
        es.restart();
        assertEquals(SenderLists.EMPTY, es.getState().lists());
        assertEquals(0, es.<SenderListsEntity.Done>runCommand(SenderListsEntity.Clear::new).reply().changed());
    }

    @Test
    void storedFormsKeepLoading() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        GoldenBytes.verify(codec, new SenderListsEntity.Added(true, "*.spam.test"), "golden/cluster/sender-lists-added.b64");
        GoldenBytes.verify(codec, new SenderListsEntity.Removed(false, "friend@x.test"),
                "golden/cluster/sender-lists-removed.b64");
        GoldenBytes.verify(codec, new SenderListsEntity.Cleared(), "golden/cluster/sender-lists-cleared.b64");
        GoldenBytes.verify(codec, new SenderListsEntity.State(new SenderLists(List.of("friend@x.test", "x.test"),
                List.of("*.spam.test"))), "golden/cluster/sender-lists-state.b64");
    }
}
