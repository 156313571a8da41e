package io.mailfleet.server.cluster;

import com.typesafe.config.Config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checks before cluster bootstrap starts that this process runs where Kubernetes API discovery can
 * work. Without the check a node outside a pod, or one without its service-account files, retries
 * the lookup forever with a warning (or fails deep inside the library), instead of saying why.
 */
public final class KubernetesEnvironment {

    private static final String DISCOVERY = "pekko.discovery.kubernetes-api.";
    private static final String CONTACT = "pekko.management.cluster.bootstrap.contact-point-discovery.";

    private KubernetesEnvironment() {
    }

    /**
     * Returns one line naming the API server, namespace, label selector and port name the bootstrap
     * uses.
     *
     * @throws IllegalArgumentException naming the missing environment variable or file
     */
    public static String check(Config config, Map<String, String> env) {
        String hostVar = config.getString(DISCOVERY + "api-service-host-env-name");
        String portVar = config.getString(DISCOVERY + "api-service-port-env-name");
        String host = env.getOrDefault(hostVar, "").trim();
        String port = env.getOrDefault(portVar, "").trim();
        if (host.isEmpty() || port.isEmpty()) {
            throw new IllegalArgumentException(ClusterDiscovery.KEY + " = kubernetes, but the environment variable "
                    + (host.isEmpty() ? hostVar : portVar) + " is not set: Kubernetes sets " + hostVar + " and "
                    + portVar + " in every pod; outside Kubernetes use " + ClusterDiscovery.KEY
                    + " = static with seed nodes");
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("the environment variable " + portVar + " = '" + port
                    + "' is not a port number 1..65535");
        }
        requireFile(config, "api-ca-path", "CA certificate of the API server");
        requireFile(config, "api-token-path", "service-account token");
        String service = config.getString(CONTACT + "service-name");
        String selector = config.getString(DISCOVERY + "pod-label-selector").replace("%s", service);
        return "Kubernetes API https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port
                + ", namespace " + namespace(config) + ", pods labelled " + selector
                + " with a container port named " + config.getString(CONTACT + "port-name") + "; "
                + config.getInt(CONTACT + "required-contact-point-nr") + " such pods needed to form a new cluster";
    }

    private static void requireFile(Config config, String key, String what) {
        Path file = Path.of(config.getString(DISCOVERY + key));
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(ClusterDiscovery.KEY + " = kubernetes, but the " + what + " " + file
                    + " (" + DISCOVERY + key + ") is missing or unreadable: the pod needs its service-account "
                    + "token mounted (automountServiceAccountToken must not be false)");
        }
    }

    /** As the library decides it: pod-namespace when set, else the service-account file, else "default". */
    private static String namespace(Config config) {
        String configured = config.getString(DISCOVERY + "pod-namespace");
        if (!configured.isBlank() && !configured.equals("<pod-namespace>")) {
            return configured;
        }
        Path file = Path.of(config.getString(DISCOVERY + "pod-namespace-path"));
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "default";
        } catch (IOException e) {
            return "default";
        }
    }
}
