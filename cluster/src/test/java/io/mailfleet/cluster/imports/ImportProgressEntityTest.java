package io.mailfleet.cluster.imports;

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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ImportProgressEntity} on Pekko's persistence test kit (commands, replies and events through Kryo):
 * a mark only moves forward under one UIDVALIDITY, another UIDVALIDITY replaces it, marks survive a
 * restart; golden bytes of what is stored.
 */
class ImportProgressEntityTest {

    @TempDir
    Path data;

    private ActorTestKit kit;
    private EventSourcedBehaviorTestKit<ImportProgressEntity.Command, ImportProgressEntity.Advanced, ImportProgressState> es;

    @BeforeEach
    void start() {
        Config config = EventSourcedBehaviorTestKit.config().withFallback(TestNodes.config(data));
        kit = ActorTestKit.create("mailfleet", config);
        es = EventSourcedBehaviorTestKit.create(kit.system(), ImportProgressEntity.create("alice@example.com"),
                EventSourcedBehaviorTestKit.enabledSerializationSettings());
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private Map<String, ImportProgressEntity.Mark> advance(String folder, long validity, long uid) {
        return es.<ImportProgressEntity.Marks>runCommand(r -> new ImportProgressEntity.Advance(folder, validity, uid, r))
                .reply().marks();
    }

    @Test
    void marksMoveForwardAndSurviveARestart() {
        assertEquals(Map.of("old@imap.test/INBOX", new ImportProgressEntity.Mark(7, 100)),
                advance("old@imap.test/INBOX", 7, 100));
        assertEquals(new ImportProgressEntity.Mark(7, 100), advance("old@imap.test/INBOX", 7, 40).get("old@imap.test/INBOX"),
                "a lower UID under the same UIDVALIDITY changes nothing");
        assertTrue(es.<ImportProgressEntity.Marks>runCommand(r -> new ImportProgressEntity.Advance(
                "old@imap.test/INBOX", 7, 40, r)).events().isEmpty());
        advance("old@imap.test/Sent", 9, 3);
        assertEquals(new ImportProgressEntity.Mark(8, 2), advance("old@imap.test/INBOX", 8, 2).get("old@imap.test/INBOX"),
                "a new UIDVALIDITY starts over");

        es.restart();
        Map<String, ImportProgressEntity.Mark> marks = es.<ImportProgressEntity.Marks>runCommand(
                ImportProgressEntity.GetMarks::new).reply().marks();
        assertEquals(Map.of("old@imap.test/INBOX", new ImportProgressEntity.Mark(8, 2),
                "old@imap.test/Sent", new ImportProgressEntity.Mark(9, 3)), marks);
    }

    @Test
    void goldenBytes() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        GoldenBytes.verify(codec, new ImportProgressEntity.Advanced("old@imap.test/INBOX", 1_700_000_000L, 4242),
                "golden/cluster/import-progress-advanced.b64");
        GoldenBytes.verify(codec, new ImportProgressState(Map.of("old@imap.test/INBOX",
                new ImportProgressEntity.Mark(1_700_000_000L, 4242))), "golden/cluster/import-progress-state.b64");
    }
}
