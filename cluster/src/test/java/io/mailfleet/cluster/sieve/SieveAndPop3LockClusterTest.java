package io.mailfleet.cluster.sieve;

import io.mailfleet.cluster.pop3.ClusterPop3Locks;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.core.service.SieveScriptStore.Refused;
import io.mailfleet.core.service.SieveScriptStore.ScriptInfo;
import io.mailfleet.persistence.journal.JournalSchema;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sieve scripts and POP3 maildrop locks through two cluster nodes in one JVM, and across a restart. */
class SieveAndPop3LockClusterTest {

    @TempDir
    Path data;

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static String refusal(CompletionStage<?> s) {
        CompletionException e = assertThrows(CompletionException.class, () -> s.toCompletableFuture().join());
        return assertInstanceOf(Refused.class, e.getCause()).code();
    }

    @Test
    void scriptsAreSharedQuotaEnforcedAndLocksClusterWide() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        boolean bStopped = false;
        try {
            get(JournalSchema.ensure(a.system()));
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            SieveQuota quota = new SieveQuota(2, 100);
            SieveScriptStore onA = ClusterSieveScripts.start(a.system(), quota);
            SieveScriptStore onB = ClusterSieveScripts.start(b.system(), quota);

            get(onA.put("u@example.com", "one", "keep;"));
            get(onA.setActive("u@example.com", "one"));
            assertEquals(List.of(new ScriptInfo("one", true)), get(onB.list("U@example.com")));
            assertEquals(Optional.of("keep;"), get(onB.get("u@example.com", "one")));
            assertEquals("one", get(onB.activeScript("u@example.com")).orElseThrow().name());

            get(onB.put("u@example.com", "two", "discard;"));
            assertEquals("QUOTA/MAXSCRIPTS", refusal(onA.put("u@example.com", "three", "keep;")));
            assertEquals("QUOTA/MAXSCRIPTS", refusal(onA.haveSpace("u@example.com", "three", 1)));
            get(onA.haveSpace("u@example.com", "two", 90)); // replacing does not count twice
            assertEquals("QUOTA/MAXSIZE", refusal(onA.haveSpace("u@example.com", "two", 96)));
            assertEquals("ACTIVE", refusal(onA.delete("u@example.com", "one")));
            assertEquals("NONEXISTENT", refusal(onA.delete("u@example.com", "nope")));
            assertEquals("NONEXISTENT", refusal(onA.setActive("u@example.com", "nope")));
            assertEquals("ALREADYEXISTS", refusal(onA.rename("u@example.com", "one", "two")));
            get(onA.rename("u@example.com", "one", "main"));
            assertEquals(List.of(new ScriptInfo("main", true), new ScriptInfo("two", false)),
                    get(onB.list("u@example.com")));
            get(onA.delete("u@example.com", "two"));
            get(onA.setActive("u@example.com", ""));
            assertTrue(get(onA.activeScript("u@example.com")).isEmpty());
            get(onA.setActive("u@example.com", "main"));

            ClusterPop3Locks locksA = ClusterPop3Locks.start(a.system(), Duration.ofSeconds(3));
            ClusterPop3Locks locksB = ClusterPop3Locks.start(b.system(), Duration.ofSeconds(3));
            Runnable first = get(locksA.tryLock("u@example.com", "session-a")).orElseThrow();
            assertTrue(get(locksB.tryLock("u@example.com", "session-b")).isEmpty());
            assertTrue(get(locksA.tryLock("u@example.com", "session-a2")).isEmpty());
            assertTrue(get(locksB.tryLock("other@example.com", "session-b")).isPresent());
            first.run();
            TestNodes.await(() -> locksB.tryLock("u@example.com", "b").toCompletableFuture().join().isPresent(),
                    Duration.ofSeconds(10), "lock free after release");

            // A lease whose node leaves the cluster ends without a release.
            assertTrue(get(locksA.tryLock("x@example.com", "on-a")).isEmpty() == false);
            assertTrue(get(locksB.tryLock("x@example.com", "on-b")).isEmpty());
            ActorTestKit.shutdown(a.system(), Duration.ofSeconds(30));
            TestNodes.awaitUp(b.system(), 1);
            TestNodes.await(() -> {
                try {
                    return locksB.tryLock("x@example.com", "on-b").toCompletableFuture().get(5, TimeUnit.SECONDS)
                            .isPresent();
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(60), "lock free after its holder's node left");
            ActorTestKit.shutdown(b.system(), Duration.ofSeconds(30));
            bStopped = true;

            ActorTestKit c = TestNodes.node(data);
            try {
                TestNodes.join(c.system(), c.system());
                TestNodes.awaitUp(c.system(), 1);
                SieveScriptStore onC = ClusterSieveScripts.start(c.system(), quota);
                assertEquals(List.of(new ScriptInfo("main", true)), get(onC.list("u@example.com")));
                assertEquals(Optional.of("keep;"), get(onC.get("u@example.com", "main")));
            } finally {
                ActorTestKit.shutdown(c.system(), Duration.ofSeconds(30));
            }
        } finally {
            if (!a.system().whenTerminated().isCompleted()) {
                a.shutdownTestKit();
            }
            if (!bStopped) {
                b.shutdownTestKit();
            }
        }
    }
}
