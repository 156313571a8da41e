package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.mailbox.MailboxEvent;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.persistence.journal.JournalSchema;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's watch of an account follows the mailbox entity when it stops (hand-off to another node,
 * passivation): the watcher learns of the stop at once and registers with the next incarnation, so a
 * later change still reaches the node's sessions in moments, not at the next periodic refresh.
 */
class WatchAfterEntityStopTest {

    private static final String ACCOUNT = "watched@example.com";

    @TempDir
    Path data;

    @Test
    void aChangeAfterTheEntityStoppedStillReachesTheWatcher() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        var executor = Executors.newSingleThreadExecutor();
        try (FileBlobStore blobs = new FileBlobStore(data.resolve("blobs"))) {
            JournalSchema.ensure(a.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(a.system(), a.system());
            TestNodes.awaitUp(a.system(), 1);
            ClusterMailboxes.start(a.system());
            // a periodic refresh far longer than the test: only the stop notice can bring the watch back
            ClusterMailboxService service = new ClusterMailboxService(a.system(), blobs, executor, Duration.ofHours(1));
            List<MailboxEvent> events = new CopyOnWriteArrayList<>();
            try (AutoCloseable watch = service.watch(ACCOUNT, events::add)) {
                TestNodes.await(() -> events.stream().anyMatch(e -> e instanceof MailboxEvent.Resync),
                        Duration.ofSeconds(20), "first registration");
                EntityRef<MailboxEntity.Command> box = ClusterSharding.get(a.system())
                        .entityRefFor(MailboxEntity.TYPE_KEY, ACCOUNT);
                deliver(box, "d1");
                TestNodes.await(() -> appended(events) == 1, Duration.ofSeconds(20), "first delivery seen");

                box.tell(new MailboxEntity.Stop()); // what sharding sends on hand-off and passivation
                // the watcher registers again (starting the entity) and resyncs
                TestNodes.await(() -> events.stream().filter(e -> e instanceof MailboxEvent.Resync).count() >= 2,
                        Duration.ofSeconds(20), "registration with the next incarnation");
                deliver(box, "d2");
                TestNodes.await(() -> appended(events) == 2, Duration.ofSeconds(20),
                        "delivery after the stop seen without waiting for the hourly refresh");
            }
            assertTrue(appended(events) == 2);
        } finally {
            executor.shutdownNow();
            ActorTestKit.shutdown(a.system(), Duration.ofSeconds(60));
        }
    }

    private static long appended(List<MailboxEvent> events) {
        return events.stream().filter(e -> e instanceof MailboxEvent.MessagesAdded).count();
    }

    private static void deliver(EntityRef<MailboxEntity.Command> box, String id) throws Exception {
        BlobRef blob = new BlobRef("0000000000000abcdefghjkmn" + id.charAt(1), 100, "ab".repeat(32));
        box.<MailboxEntity.Delivered>ask(r -> new MailboxEntity.Deliver(id, "INBOX", blob, Instant.now(), Set.of(),
                null, r), Duration.ofSeconds(30)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
