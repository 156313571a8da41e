package io.mailfleet.cluster.session;

import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.service.SessionInfo;
import io.mailfleet.core.service.SessionLease;
import io.mailfleet.persistence.journal.JournalSchema;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Sessions entity through two cluster nodes in one JVM: limit, listing, kick and node loss. */
class SessionsClusterTest {

    private static final String USER = "u@example.com";

    @TempDir
    Path data;

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void limitListKickAndNodeLossSpanTheCluster() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        try {
            get(JournalSchema.ensure(a.system()));
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ClusterSessionRegistry onA = ClusterSessionRegistry.start(a.system(), Duration.ofMillis(500),
                    Duration.ofSeconds(10));
            ClusterSessionRegistry onB = ClusterSessionRegistry.start(b.system(), Duration.ofMillis(500),
                    Duration.ofSeconds(10));

            // The limit counts sessions of every node: two through A fill it for B.
            CountDownLatch kickedOnA = new CountDownLatch(1);
            SessionLease a1 = get(onA.open(USER, "imap", "192.0.2.1", 2, kickedOnA::countDown)).orElseThrow();
            SessionLease a2 = get(onA.open("U@Example.com", "imap", "192.0.2.1", 2, () -> { })).orElseThrow();
            assertTrue(get(onB.open(USER, "imap", "192.0.2.1", 2, () -> { })).isEmpty(), "third from one IP refused");
            assertTrue(get(onA.open(USER, "imap", "192.0.2.1", 2, () -> { })).isEmpty(), "also on A");
            // Another address, another protocol, or no limit: admitted.
            AtomicInteger kickedOnB = new AtomicInteger();
            SessionLease b1 = get(onB.open(USER, "imap", "192.0.2.2", 2, kickedOnB::incrementAndGet)).orElseThrow();
            SessionLease b2 = get(onB.open(USER, "pop3", "192.0.2.1", 2, kickedOnB::incrementAndGet)).orElseThrow();
            get(onB.open(USER, "managesieve", "192.0.2.1", 0, kickedOnB::incrementAndGet)).orElseThrow();

            // Both nodes' sessions are listed from either node, with the node that holds each.
            List<SessionInfo> listed = get(onB.list(USER));
            assertEquals(5, listed.size(), listed.toString());
            assertEquals(Set.of(onA.node(), onB.node()), listed.stream().map(SessionInfo::node).collect(Collectors.toSet()));
            assertEquals(Set.of(a1.id(), a2.id(), b1.id(), b2.id()), listed.stream().map(SessionInfo::id)
                    .filter(id -> !id.equals(listed.get(4).id())).collect(Collectors.toSet()));
            SessionInfo first = listed.get(0);
            assertEquals(a1.id(), first.id());
            assertEquals("imap", first.protocol());
            assertEquals("192.0.2.1", first.remoteIp());
            assertEquals(USER, first.account());
            get(onA.open("other@example.com", "imap", "192.0.2.9", 2, () -> { })).orElseThrow();
            TestNodes.await(() -> onB.listAll().toCompletableFuture().join().size() == 6, Duration.ofSeconds(10),
                    "every node's sessions in listAll");
            assertEquals(List.of("other@example.com"), get(onA.listAll()).stream().map(SessionInfo::account)
                    .filter(x -> !x.equals(USER)).toList());

            // A kick sent through B runs the callback on A, where the session lives.
            assertEquals(1, get(onB.kick(USER, Optional.of(a1.id()))));
            assertTrue(kickedOnA.await(10, TimeUnit.SECONDS), "kick callback ran on node A");
            assertEquals(0, get(onB.kick(USER, Optional.of("no-such-session"))));
            assertEquals(0, kickedOnB.get());

            // Closing a lease frees its place (the entity hears of it asynchronously).
            a1.close();
            a1.close();
            TestNodes.await(() -> onB.list(USER).toCompletableFuture().join().size() == 4, Duration.ofSeconds(10),
                    "closed lease unregistered");
            SessionLease a3 = get(onB.open(USER, "imap", "192.0.2.1", 2, () -> { })).orElseThrow();
            assertEquals(5, get(onA.list(USER)).size());

            // Kick all: every session of the account on both nodes.
            assertEquals(5, get(onA.kick(USER, Optional.empty())));
            TestNodes.await(() -> kickedOnB.get() == 3, Duration.ofSeconds(10), "B's sessions kicked");
            a3.close();

            // Sessions held on B of accounts whose entity runs on A: after A leaves, the entity starts
            // again on B with no state and the holders' refreshes bring the sessions back.
            List<String> probes = IntStream.range(0, 12).mapToObj(i -> "r" + i + "@example.com").toList();
            for (String p : probes) {
                get(onB.open(p, "imap", "192.0.2.5", 0, () -> { })).orElseThrow();
            }
            ShardRegion.CurrentShardRegionState placed = get(AskPattern.ask(ClusterSharding.get(a.system()).shardState(),
                    r -> new GetShardRegionState(SessionsEntity.TYPE_KEY, r), Duration.ofSeconds(10),
                    a.system().scheduler()));
            Set<String> hostedOnA = placed.getShards().stream().flatMap(sh -> sh.getEntityIds().stream())
                    .collect(Collectors.toSet());
            String moved = probes.stream().filter(hostedOnA::contains).findFirst()
                    .orElseThrow(() -> new AssertionError("no probe account's entity on node A: " + hostedOnA));

            // A node that leaves takes its sessions along (death watch), without any lease closed.
            ActorTestKit.shutdown(a.system(), Duration.ofSeconds(30));
            TestNodes.awaitUp(b.system(), 1);
            TestNodes.await(() -> {
                try {
                    return onB.list(USER).toCompletableFuture().get(5, TimeUnit.SECONDS).stream()
                            .allMatch(s -> s.node().equals(onB.node()));
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(60), "sessions of node A gone");
            assertEquals(3, get(onB.list(USER)).size());
            TestNodes.await(() -> {
                try {
                    return onB.list(moved).toCompletableFuture().get(5, TimeUnit.SECONDS).size() == 1;
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(30), "session of " + moved + " back in its restarted entity");
            assertEquals(Set.of(onB.node()), get(onB.listAll()).stream().map(SessionInfo::node)
                    .collect(Collectors.toSet()));
            b1.close();
            b2.close();
            TestNodes.await(() -> onB.list(USER).toCompletableFuture().join().size() == 1, Duration.ofSeconds(10),
                    "closed leases unregistered");
        } finally {
            // The last node leaving takes longer than the testkit's 10 s default on a loaded machine.
            if (!a.system().whenTerminated().isCompleted()) {
                ActorTestKit.shutdown(a.system(), Duration.ofSeconds(30));
            }
            ActorTestKit.shutdown(b.system(), Duration.ofSeconds(30));
        }
    }
}
