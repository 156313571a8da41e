package io.mailfleet.server.cluster.formation;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.mailfleet.server.config.ClusterSettings;
import io.mailfleet.server.config.MailfleetConfig;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a node from forming a second cluster on a database where a cluster already runs (two clusters
 * would run the same sharded entities twice and write one journal from both; docs/cluster.md, "Static
 * seed nodes"): before the node starts, its seeds are chosen against the members holding the
 * {@link MemberLock}, and from the moment it is Up until it leaves it holds that lock itself.
 */
public final class FormationGuard {

    private static final Logger LOG = LoggerFactory.getLogger(FormationGuard.class);
    private static final Duration DATABASE_WAIT = Duration.ofSeconds(60);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);

    private FormationGuard() {
    }

    /**
     * The configuration the node's actor system starts with: unchanged unless a cluster runs on the
     * node's PostgreSQL database, then with seed nodes that never name this node (see {@link SeedChoice}).
     *
     * @throws IllegalStateException when the database cannot be reached within 60 s, or a cluster runs
     *                               there and this node has no seeds to join it
     */
    public static Config seeds(Config config, ClusterSettings cluster) throws InterruptedException {
        if (!MemberLock.applies(config) || cluster.discovery() == ClusterSettings.Discovery.KUBERNETES) {
            return config;
        }
        String self = "pekko://" + MailfleetConfig.SYSTEM_NAME + "@" + config.getString("pekko.remote.artery.canonical.hostname")
                + ":" + config.getInt("pekko.remote.artery.canonical.port");
        SeedChoice.Choice choice = SeedChoice.choose(config.getStringList("pekko.cluster.seed-nodes"), self,
                liveMembers(config));
        if (choice.note() == null) {
            return config;
        }
        LOG.info(choice.note());
        return ConfigFactory.empty()
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(choice.seeds(), "chosen by the formation guard"))
                .withFallback(config);
    }

    /** From the moment this node is Up until it leaves the cluster, it holds the member lock. */
    public static void holdWhileMember(ActorSystem<?> system) {
        Config config = system.settings().config();
        if (!MemberLock.applies(config)) {
            return;
        }
        ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailfleet-member-lock");
            t.setDaemon(true);
            return t;
        });
        Cluster cluster = Cluster.get(Adapter.toClassic(system));
        Holder holder = new Holder(config, cluster.selfAddress().toString());
        cluster.registerOnMemberUp(() -> worker.scheduleWithFixedDelay(holder::holdOrCheck, 0,
                CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseClusterLeave(), "release-member-lock",
                () -> CompletableFuture.supplyAsync(holder::release, worker).whenComplete((d, e) -> worker.shutdown()));
    }

    /** The lock of one node; used only on the guard's own thread. */
    private static final class Holder {
        private final Config config;
        private final String address;
        private MemberLock lock;
        private boolean released;

        Holder(Config config, String address) {
            this.config = config;
            this.address = address;
        }

        void holdOrCheck() {
            if (released) {
                return;
            }
            if (lock != null) {
                lock.check();
                return;
            }
            try {
                lock = MemberLock.hold(config, address);
                LOG.info("holding the member lock in PostgreSQL as {}", address);
            } catch (SQLException e) {
                LOG.warn("could not take the member lock in PostgreSQL (trying again in {} s): {}",
                        CHECK_INTERVAL.toSeconds(), e.getMessage());
            }
        }

        Done release() {
            released = true;
            if (lock != null) {
                lock.close();
                lock = null;
            }
            return Done.getInstance();
        }
    }

    private static List<String> liveMembers(Config config) throws InterruptedException {
        long deadline = System.nanoTime() + DATABASE_WAIT.toNanos();
        while (true) {
            try {
                return MemberLock.liveMembers(config);
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not reach PostgreSQL at "
                            + config.getString("mailfleet.storage.postgres.url") + " within " + DATABASE_WAIT.toSeconds()
                            + " s to see whether a cluster already runs on it: " + e.getMessage(), e);
                }
                LOG.info("PostgreSQL not reachable yet ({}); trying again", e.getMessage());
                Thread.sleep(2000);
            }
        }
    }
}
