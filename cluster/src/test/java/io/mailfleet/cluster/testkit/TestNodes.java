package io.mailfleet.cluster.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Starts cluster nodes inside one test JVM on a shared H2 journal in a temporary directory. */
public final class TestNodes {

    private TestNodes() {
    }

    /** Configuration of a test node whose storage lives under {@code dataDir}. */
    public static Config config(Path dataDir) {
        return ConfigFactory.parseString(
                        "pekko.remote.artery.canonical.port = 0\n"
                                + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                                + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
                                + "pekko.cluster.split-brain-resolver.stable-after = 2s\n"
                                + "pekko.coordinated-shutdown.terminate-actor-system = on\n"
                                + "mailfleet.storage.data-dir = \"" + dataDir.toString().replace("\\", "/") + "\"\n")
                .withFallback(ConfigFactory.load());
    }

    /** A node that has not joined anything yet. */
    public static ActorTestKit node(Path dataDir) {
        return ActorTestKit.create("mailfleet", config(dataDir));
    }

    /** Makes {@code node} join {@code seed} (a node joining itself forms the cluster). */
    public static void join(ActorSystem<?> node, ActorSystem<?> seed) {
        Cluster.get(node).manager().tell(Join.create(Cluster.get(seed).selfMember().address()));
    }

    /** Waits until {@code node} sees {@code count} members Up. */
    public static void awaitUp(ActorSystem<?> node, int count) {
        await(() -> {
            int up = 0;
            for (var m : Cluster.get(node).state().getMembers()) {
                if (m.status() == MemberStatus.up()) {
                    up++;
                }
            }
            return up >= count;
        }, Duration.ofSeconds(30), "cluster of " + count + " members up");
    }

    /** Polls a condition; fails with {@code what} when it does not hold within {@code max}. */
    public static void await(BooleanSupplier condition, Duration max, String what) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
