package io.mailfleet.cluster.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mailfleet.cluster.testkit.TestNodes;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rolling restart that made two shard coordinators run at once: the oldest of three nodes is
 * stopped while a node that left seconds before is already back on the same host and port. The
 * youngest node then asks that address for the singletons, the restarted node answers that it runs
 * none, and without {@link LeaveAfterRemovalMargin} the youngest starts its own while the leaving
 * oldest still runs them. With it, the leaving node waits out the removal margin first, and at no
 * moment do two nodes run the singleton.
 */
class LeaveAfterRemovalMarginTest {

    @TempDir
    Path data;

    private final List<ActorSystem<?>> systems = new ArrayList<>();
    /** "start PORT" and "stop PORT" of the probe singleton, in the order they happened. */
    private final List<String> lifecycle = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        for (ActorSystem<?> s : systems) {
            s.terminate();
        }
        for (ActorSystem<?> s : systems) {
            s.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    @Test
    void theOldestLeavingSoonAfterARestartNeverLetsTwoNodesRunTheSingletons() throws Exception {
        int[] ports = {freePort(), freePort(), freePort()};
        ActorSystem<?> n0 = node(ports[0], null);
        ActorSystem<?> n1 = node(ports[1], n0);
        TestNodes.awaitUp(n0, 2); // one after the other: their age decides where the singleton goes next
        ActorSystem<?> n2 = node(ports[2], n0);
        TestNodes.awaitUp(n2, 3);
        await(() -> lifecycle.contains("start " + ports[0]), "the singleton on the oldest node");

        // first step of the rolling restart: node 0 leaves and comes back on its port at once
        leave(n0);
        await(() -> lifecycle.contains("start " + ports[1]), "the singleton handed over to node 1");
        ActorSystem<?> n0again = node(ports[0], n1);
        TestNodes.awaitUp(n2, 3);
        TestNodes.awaitUp(n0again, 3);

        // second step, within the removal margin of the first: node 1, now the oldest, leaves
        leave(n1);
        await(() -> lifecycle.contains("start " + ports[2]), "the singleton handed over to node 2");

        Set<String> running = new HashSet<>();
        for (String e : lifecycle) {
            String node = e.substring(e.indexOf(' ') + 1);
            if (e.startsWith("start ")) {
                running.add(node);
                assertTrue(running.size() == 1, "two nodes ran the singleton at once: " + lifecycle);
            } else {
                running.remove(node);
            }
        }
    }

    private ActorSystem<?> node(int port, ActorSystem<?> seed) {
        Config config = ConfigFactory.parseString("pekko.remote.artery.canonical.port = " + port + "\n"
                        // the margin this guard waits out, long enough that the steps fall inside it
                        + "pekko.cluster.down-removal-margin = 6 s\n")
                .withFallback(TestNodes.config(data.resolve("n" + port + "-" + systems.size())));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "mailfleet", config);
        systems.add(system);
        LeaveAfterRemovalMargin.install(system);
        TestNodes.join(system, seed == null ? system : seed);
        ClusterSingleton.get(system).init(SingletonActor.of(probe(port), "probe"));
        return system;
    }

    private Behavior<Void> probe(int port) {
        return Behaviors.setup(ctx -> {
            lifecycle.add("start " + port);
            return Behaviors.receive(Void.class)
                    .onSignal(PostStop.class, s -> {
                        lifecycle.add("stop " + port);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private static void leave(ActorSystem<?> system) {
        CoordinatedShutdown.get(system.classicSystem()).runAll(CoordinatedShutdown.unknownReason());
        system.getWhenTerminated().toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        TestNodes.await(condition, Duration.ofSeconds(60), what);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
