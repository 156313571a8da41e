package io.mailfleet.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Cluster membership: this node's address, its seeds ("host:port"), the pekko-management port and
 * the directory of its cluster TLS credentials ({@code credentialsConfigured} false: the default
 * under the data directory, created at first start), how the cluster forms and how long start-up
 * waits to become a member.
 */
public record ClusterSettings(String host, int port, List<String> seedNodes, int managementPort,
                              Path credentialsDir, boolean credentialsConfigured, Discovery discovery,
                              Duration joinTimeout) {

    /** {@code mailfleet.cluster.discovery}: seed nodes (or a one-node cluster), or Kubernetes bootstrap. */
    public enum Discovery { STATIC, KUBERNETES }

    /** {@code mailfleet.cluster.join-timeout}'s default. */
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(150);

    /** Static seeds and the default join timeout. */
    public ClusterSettings(String host, int port, List<String> seedNodes, int managementPort, Path credentialsDir,
                           boolean credentialsConfigured) {
        this(host, port, seedNodes, managementPort, credentialsDir, credentialsConfigured, Discovery.STATIC,
                DEFAULT_JOIN_TIMEOUT);
    }

    /** The credentials directory a node uses unless {@code mailfleet.cluster.credentials-dir} names one. */
    public static final String DEFAULT_CREDENTIALS_DIR = "cluster-tls";

    public ClusterSettings {
        seedNodes = List.copyOf(seedNodes);
    }

    /** Seed nodes as Pekko addresses of the {@value MailfleetConfig#SYSTEM_NAME} system. */
    public List<String> seedNodeAddresses() {
        return seedNodes.stream().map(s -> "pekko://" + MailfleetConfig.SYSTEM_NAME + "@" + s).toList();
    }
}
