package io.mailfleet.server.cluster;

import io.mailfleet.server.config.ClusterSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** Applies {@code mailfleet.cluster.discovery}: static seed nodes, or Kubernetes cluster bootstrap. */
public final class ClusterDiscovery {

    public static final String KEY = "mailfleet.cluster.discovery";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterDiscovery.class);

    private ClusterDiscovery() {
    }

    /**
     * With {@code kubernetes}, starts pekko-management and cluster bootstrap, which must run before
     * the entities wait for cluster membership; with {@code static} nothing (seed nodes join).
     *
     * @throws IllegalArgumentException naming what a pod would have and this process lacks (see
     *                                  {@link KubernetesEnvironment}), or seed nodes set in the Pekko section
     */
    public static void start(ActorSystem<?> system, ClusterSettings cluster) throws Exception {
        if (cluster.discovery() == ClusterSettings.Discovery.KUBERNETES) {
            if (!system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
                throw new IllegalArgumentException(KEY + " = kubernetes needs mailfleet.cluster.seed-nodes to be empty");
            }
            LOG.info("cluster formation by Kubernetes API discovery: {}",
                    KubernetesEnvironment.check(system.settings().config(), System.getenv()));
            PekkoManagement.get(system).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            ClusterBootstrap.get(system).start();
        }
    }
}
