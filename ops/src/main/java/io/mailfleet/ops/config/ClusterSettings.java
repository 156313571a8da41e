package io.mailfleet.ops.config;

import java.util.List;

/** Cluster membership: this node's address, its seeds ("host:port") and the pekko-management port. */
public record ClusterSettings(String host, int port, List<String> seedNodes, int managementPort) {

    public ClusterSettings {
        seedNodes = List.copyOf(seedNodes);
    }

    /** Seed nodes as Pekko addresses of the {@value MailfleetConfig#SYSTEM_NAME} system. */
    public List<String> seedNodeAddresses() {
        return seedNodes.stream().map(s -> "pekko://" + MailfleetConfig.SYSTEM_NAME + "@" + s).toList();
    }
}
