package io.mailfleet.server.cluster.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The file names in a cluster credentials directory. A node reads {@code tls.key}, {@code tls.crt}
 * and {@code ca.crt} (the names of a Kubernetes TLS secret plus the CA, as Pekko's
 * RotatingKeysSSLEngineProvider expects them); a CA directory holds {@code ca.key} and {@code ca.crt}.
 */
public record CredentialFiles(Path dir) {

    /** The name every node certificate carries besides the node's own: Pekko accepts a peer only when they share a name. */
    public static final String CLUSTER_NAME = "mailfleet-cluster";

    public Path nodeKey() {
        return dir.resolve("tls.key");
    }

    public Path nodeCert() {
        return dir.resolve("tls.crt");
    }

    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    public Path caKey() {
        return dir.resolve("ca.key");
    }

    /** The three files a node needs. */
    public List<Path> nodeFiles() {
        return List.of(nodeKey(), nodeCert(), caCert());
    }

    /** Those of {@link #nodeFiles()} that are missing. */
    public List<Path> missingNodeFiles() {
        return nodeFiles().stream().filter(p -> !Files.isRegularFile(p)).toList();
    }

    /** True when none of the node or CA files exists yet. */
    public boolean empty() {
        return missingNodeFiles().size() == nodeFiles().size() && !Files.exists(caKey());
    }
}
