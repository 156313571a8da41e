package io.mailfleet.cluster.spamlist;

import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.service.SenderListStore.Which;
import io.mailfleet.core.spam.SenderLists;
import io.mailfleet.persistence.journal.JournalSchema;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sender lists on two nodes: a change made on one is what the other reads, and it outlives the cluster. */
class SenderListsClusterTest {

    @TempDir
    Path data;

    private static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aChangeOnOneNodeIsReadOnTheOtherAndSurvivesARestart() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        try {
            JournalSchema.ensure(a.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ClusterSenderLists onA = ClusterSenderLists.start(a.system(), Duration.ofSeconds(20));
            ClusterSenderLists onB = ClusterSenderLists.start(b.system(), Duration.ofSeconds(20));

            assertTrue(get(onA.add("Alice@Example.com", Which.ALLOW, "friend@x.test")));
            assertTrue(get(onA.add("alice@example.com", Which.BLOCK, "*.spam.test")));
            assertTrue(get(onB.add("bob@example.com", Which.BLOCK, "x.test")));
            assertFalse(get(onB.add("alice@example.com", Which.ALLOW, "friend@x.test")), "already there, added on A");

            SenderLists alice = get(onB.lists("alice@example.com"));
            assertEquals(new SenderLists(List.of("friend@x.test"), List.of("*.spam.test")), alice);
            assertEquals(SenderLists.Listed.ALLOWED, alice.listed("Friend@X.test"));
            assertEquals(SenderLists.Listed.BLOCKED, alice.listed("x@mail.spam.test"));
            assertEquals(SenderLists.Listed.NONE, get(onA.lists("alice@example.com")).listed("other@x.test"),
                    "bob's block list is bob's");
            assertEquals(SenderLists.Listed.BLOCKED, get(onA.lists("bob@example.com")).listed("friend@x.test"));
            assertTrue(get(onB.remove("alice@example.com", Which.BLOCK, "*.spam.test")));
            assertEquals(List.of(), get(onA.lists("alice@example.com")).block());
            assertEquals(SenderLists.EMPTY, get(onA.lists("carol@example.com")));
        } finally {
            b.shutdownTestKit();
            a.shutdownTestKit();
        }
        ActorTestKit again = TestNodes.node(data);
        try {
            TestNodes.join(again.system(), again.system());
            TestNodes.awaitUp(again.system(), 1);
            ClusterSenderLists lists = ClusterSenderLists.start(again.system(), Duration.ofSeconds(20));
            assertEquals(new SenderLists(List.of("friend@x.test"), List.of()), get(lists.lists("alice@example.com")));
            assertEquals(1, get(lists.clear("bob@example.com")));
            assertEquals(SenderLists.EMPTY, get(lists.lists("bob@example.com")));
        } finally {
            again.shutdownTestKit();
        }
    }
}
