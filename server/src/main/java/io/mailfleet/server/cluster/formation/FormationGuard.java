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
import org.apache.pekko.actor.AddressFromURIString;
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
import java.util.concurrent.atomic.AtomicBoolean;

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
    private static final Duration JOIN_WATCH_INTERVAL = Duration.ofSeconds(5);

    private final Config config;
    /** The seeds as configured, when the guard replaced them (null: Pekko joins as configured). */
    private final List<String> replacedSeeds;

    private FormationGuard(Config config, List<String> replacedSeeds) {
        this.config = config;
        this.replacedSeeds = replacedSeeds;
    }

    /**
     * Chooses the node's seeds before its actor system starts: unchanged unless a cluster runs on the
     * node's PostgreSQL database, then seed nodes that never name this node (see {@link SeedChoice}).
     *
     * @throws IllegalStateException when the database cannot be reached within 60 s, or a cluster runs
     *                               there and this node has no seeds to join it
     */
    public static FormationGuard prepare(Config config, ClusterSettings cluster) throws InterruptedException {
        if (!MemberLock.applies(config) || cluster.discovery() == ClusterSettings.Discovery.KUBERNETES) {
            return new FormationGuard(config, null);
        }
        String self = "pekko://" + MailfleetConfig.SYSTEM_NAME + "@" + config.getString("pekko.remote.artery.canonical.hostname")
                + ":" + config.getInt("pekko.remote.artery.canonical.port");
        List<String> configured = config.getStringList("pekko.cluster.seed-nodes");
        SeedChoice.Choice choice = SeedChoice.choose(configured, self, liveMembers(config));
        if (choice.note() == null) {
            return new FormationGuard(config, null);
        }
        LOG.info(choice.note());
        return new FormationGuard(ConfigFactory.empty()
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(choice.seeds(), "chosen by the formation guard"))
                .withFallback(config), configured);
    }

    /** The configuration the node's actor system starts with. */
    public Config config() {
        return config;
    }

    /**
     * Once the actor system runs: from the moment this node is Up until it leaves the cluster it holds
     * the member lock; and while it waits to join members it found running, it watches them
     * ({@link JoinWatch}).
     */
    public void start(ActorSystem<?> system) {
        if (!MemberLock.applies(config)) {
            return;
        }
        ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailfleet-member-lock");
            t.setDaemon(true);
            return t;
        });
        Cluster cluster = Cluster.get(Adapter.toClassic(system));
        String self = cluster.selfAddress().toString();
        Holder holder = new Holder(config, self);
        AtomicBoolean up = new AtomicBoolean();
        cluster.registerOnMemberUp(() -> {
            up.set(true);
            worker.scheduleWithFixedDelay(holder::holdOrCheck, 0, CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        });
        if (replacedSeeds != null) {
            JoinWatch watch = new JoinWatch(self, replacedSeeds, () -> MemberLock.liveMembers(config), up::get,
                    seeds -> cluster.joinSeedNodes(seeds.stream().map(AddressFromURIString::parse).toList()));
            // once the node is a member (or has switched) a look is a no-op until the worker stops
            worker.scheduleWithFixedDelay(watch::tick, JOIN_WATCH_INTERVAL.toMillis(), JOIN_WATCH_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
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
