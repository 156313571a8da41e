package io.mailfleet.server.cluster;

import com.typesafe.config.Config;
import io.mailfleet.server.config.ClusterSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Start-up gate: the node must be an Up member of a cluster before its mail listeners open. A node
 * that never joined (unreachable seeds, a Kubernetes API it may not read) would otherwise greet
 * clients and then answer every transaction with a timeout.
 */
public final class ClusterMembership {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);
    static final String JOIN_TIMEOUT = "mailfleet.cluster.join-timeout";

    private ClusterMembership() {
    }

    /** Blocks until this node is Up, or throws naming the timeout and the likely cause. */
    public static void awaitUp(ActorSystem<?> system, ClusterSettings cluster) throws InterruptedException {
        Config config = system.settings().config();
        boolean kubernetes = cluster.discovery() == ClusterSettings.Discovery.KUBERNETES;
        Duration timeout = cluster.joinTimeout();
        CompletableFuture<Void> up = new CompletableFuture<>();
        Cluster.get(Adapter.toClassic(system)).registerOnMemberUp(() -> up.complete(null));
        if (!up.isDone()) {
            LOG.info("waiting up to {} s to become a member of the cluster ({})", timeout.toSeconds(),
                    how(config, kubernetes));
        }
        try {
            up.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("this node did not become a member of a cluster within "
                    + timeout.toSeconds() + " s (" + JOIN_TIMEOUT + "): " + cause(config, kubernetes));
        } catch (ExecutionException e) {
            throw new IllegalStateException("joining the cluster failed: " + e.getCause(), e.getCause());
        }
    }

    private static String how(Config config, boolean kubernetes) {
        if (kubernetes) {
            return "Kubernetes discovery";
        }
        List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
        return seeds.isEmpty() ? "forming a one-node cluster" : "seed nodes " + seeds;
    }

    private static String cause(Config config, boolean kubernetes) {
        if (kubernetes) {
            return "Kubernetes discovery found no cluster to join and not enough pods to form one; see the log for "
                    + "discovery errors and /ready on the management port";
        }
        List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
        if (seeds.isEmpty()) {
            return "forming a one-node cluster did not complete";
        }
        return "none of the seed nodes " + seeds + " could be reached, or they refused the join "
                + "(check MAILFLEET_SEED_NODES, the cluster port, MAILFLEET_CLUSTER_HOST, and that this node has "
                + "credentials from the cluster's CA in MAILFLEET_CLUSTER_CREDENTIALS_DIR: see the log for refused TLS handshakes)";
    }
}
