package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.persistence.journal.JournalSchema;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * \Recent goes to exactly one session, and a claim written lazily still outlives the entity: it is
 * written when sharding stops the entity (here: a node shutdown) and holds after recovery.
 */
class RecentClaimTest {

    private static final String ACCOUNT = "user@example.com";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    @Test
    void recentIsClaimedOnceAndTheClaimSurvivesARestart() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        try {
            JournalSchema.ensure(a.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(a.system(), a.system());
            TestNodes.awaitUp(a.system(), 1);
            ClusterMailboxes.start(a.system());
            EntityRef<MailboxEntity.Command> box = ClusterSharding.get(a.system())
                    .entityRefFor(MailboxEntity.TYPE_KEY, ACCOUNT);
            deliver(box, "d1");
            deliver(box, "d2");

            assertEquals(Set.of(1L, 2L), select(box).recent(), "the first session gets \\Recent");
            assertEquals(Set.of(), select(box).recent(), "no second session gets it");
        } finally {
            a.shutdownTestKit();
        }

        ActorTestKit b = TestNodes.node(data);
        try {
            TestNodes.join(b.system(), b.system());
            TestNodes.awaitUp(b.system(), 1);
            ClusterMailboxes.start(b.system());
            EntityRef<MailboxEntity.Command> box = ClusterSharding.get(b.system())
                    .entityRefFor(MailboxEntity.TYPE_KEY, ACCOUNT);
            assertEquals(Set.of(), select(box).recent(), "the claim was written before the entity stopped");
            deliver(box, "d3");
            assertEquals(Set.of(3L), select(box).recent());
        } finally {
            b.shutdownTestKit();
        }
    }

    private static void deliver(EntityRef<MailboxEntity.Command> box, String id) throws Exception {
        BlobRef blob = new BlobRef("0000000000000abcdefghjkmn" + id.charAt(1), 100, "ab".repeat(32));
        box.<MailboxEntity.Delivered>ask(r -> new MailboxEntity.Deliver(id, "INBOX", blob, Instant.now(), Set.of(),
                null, r), TIMEOUT).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static FolderSnapshot select(EntityRef<MailboxEntity.Command> box) throws Exception {
        MailboxEntity.Reply r = box.<MailboxEntity.Reply>ask(rt -> new MailboxEntity.Select("INBOX", true, rt), TIMEOUT)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        return (FolderSnapshot) r.value();
    }
}
