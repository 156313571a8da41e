package io.mailfleet.cluster.directory;

import io.mailfleet.cluster.node.DirectoryWarmup;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryException;
import io.mailfleet.persistence.journal.JournalSchema;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The directory through two cluster nodes in one JVM, and across a restart of the whole cluster. */
class DirectoryClusterTest {

    @TempDir
    Path data;

    @Test
    void changeOnOneNodeIsSeenOnTheOtherAndSurvivesRestart() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        try {
            JournalSchema.ensure(a.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ClusterDirectoryService onA = ClusterDirectoryService.start(a.system());
            ClusterDirectoryService onB = ClusterDirectoryService.start(b.system());

            onA.apply(new DirectoryChange.AddAccount("user1@example.com", "{PLAIN}secret"))
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            onB.apply(new DirectoryChange.AddAlias("alias1@example.com", "user1@example.com"))
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            onA.apply(new DirectoryChange.SetQuota("user1@example.com", 1024))
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);

            // The node that made a change reads its own write at once.
            assertTrue(onA.view().account("user1@example.com").isPresent());
            TestNodes.await(() -> onB.view().account("USER1@example.com").isPresent()
                            && onB.view().quota("user1@example.com").orElse(0L) == 1024
                            && onA.view().aliasTargets("alias1@example.com").contains("user1@example.com"),
                    Duration.ofSeconds(10), "both nodes see account, quota and alias");

            CompletionException refused = assertThrows(CompletionException.class, () -> onB
                    .apply(new DirectoryChange.AddAccount("alias1@example.com", "{PLAIN}x")).toCompletableFuture().join());
            DirectoryException de = assertInstanceOf(DirectoryException.class, refused.getCause());
            assertEquals("is-alias", de.code());
            assertThrows(CompletionException.class, () -> onA
                    .apply(new DirectoryChange.AddAccount("user1@example.com", "{PLAIN}x")).toCompletableFuture().join());
        } finally {
            b.shutdownTestKit();
            a.shutdownTestKit();
        }

        ActorTestKit c = TestNodes.node(data);
        try {
            TestNodes.join(c.system(), c.system());
            TestNodes.awaitUp(c.system(), 1);
            ClusterDirectoryService onC = ClusterDirectoryService.start(c.system());
            int woken = DirectoryWarmup.run(c.system(), onC).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(1, woken);
            TestNodes.await(() -> onC.view().account("user1@example.com").isPresent()
                            && onC.view().quota("user1@example.com").orElse(0L) == 1024
                            && onC.view().aliasTargets("alias1@example.com").size() == 1,
                    Duration.ofSeconds(20), "directory recovered after restart");
            assertEquals("{PLAIN}secret", onC.view().account("user1@example.com").orElseThrow().passwordHash());
        } finally {
            c.shutdownTestKit();
        }
    }
}
