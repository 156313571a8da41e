package io.mailfleet.server.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mailfleet.server.config.MailfleetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubernetesEnvironmentTest {

    @TempDir
    Path dir;

    private static final Map<String, String> POD_ENV = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
            "KUBERNETES_SERVICE_PORT", "443");

    /** The shipped configuration (as a node loads it) with the service-account files under dir. */
    private Config config() throws Exception {
        Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(dir.resolve("token"), "t");
        Files.writeString(dir.resolve("namespace"), "mail");
        Config files = ConfigFactory.parseString("pekko.discovery.kubernetes-api {\n"
                + "api-ca-path = \"" + dir.resolve("ca.crt") + "\"\n"
                + "api-token-path = \"" + dir.resolve("token") + "\"\n"
                + "pod-namespace-path = \"" + dir.resolve("namespace") + "\"\n}");
        Map<String, String> env = new HashMap<>(Map.of("MAILFLEET_DATA", dir.toString(),
                "MAILFLEET_CLUSTER_DISCOVERY", "kubernetes"));
        return files.withFallback(MailfleetConfig.load(null, env).config());
    }

    @Test
    void namesWhatTheBootstrapWillAskAndWhom() throws Exception {
        assertEquals("Kubernetes API https://10.96.0.1:443, namespace mail, pods labelled app=mailfleet with a "
                        + "container port named management; 2 such pods needed to form a new cluster",
                KubernetesEnvironment.check(config(), POD_ENV));
    }

    @Test
    void outsideAPodTheMissingVariableIsNamed() throws Exception {
        Config c = config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KubernetesEnvironment.check(c, Map.of()));
        assertTrue(e.getMessage().contains("environment variable KUBERNETES_SERVICE_HOST is not set"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> KubernetesEnvironment.check(c, Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
                        "KUBERNETES_SERVICE_PORT", "https")));
        assertTrue(e.getMessage().contains("KUBERNETES_SERVICE_PORT = 'https' is not a port number"), e.getMessage());
    }

    @Test
    void withoutTheServiceAccountFilesThePathAndKeyAreNamed() throws Exception {
        Config c = config();
        Files.delete(dir.resolve("token"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KubernetesEnvironment.check(c, POD_ENV));
        assertTrue(e.getMessage().contains("service-account token " + dir.resolve("token")
                + " (pekko.discovery.kubernetes-api.api-token-path) is missing"), e.getMessage());
        Files.delete(dir.resolve("ca.crt"));
        e = assertThrows(IllegalArgumentException.class, () -> KubernetesEnvironment.check(c, POD_ENV));
        assertTrue(e.getMessage().contains("api-ca-path"), e.getMessage());
    }

    @Test
    void theShippedDefaultsAreThoseOfAPod() throws Exception {
        Config c = MailfleetConfig.load(null, Map.of("MAILFLEET_DATA", dir.toString())).config();
        assertEquals("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
                c.getString("pekko.discovery.kubernetes-api.api-ca-path"));
        assertEquals("/var/run/secrets/kubernetes.io/serviceaccount/token",
                c.getString("pekko.discovery.kubernetes-api.api-token-path"));
        assertTrue(c.getBoolean("pekko.discovery.kubernetes-api.use-raw-ip"), "contact points by pod IP");
        assertEquals("kubernetes-api",
                c.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    }
}
