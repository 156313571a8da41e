package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the cluster forms and how long start-up waits for it are read once, with the other settings. */
class ClusterDiscoverySettingsTest {

    private static ClusterSettings cluster(Map<String, String> env) {
        return MailfleetConfig.load(null, env).settings().cluster();
    }

    @Test
    void defaultsAndOverrides() {
        ClusterSettings c = cluster(Map.of("OVERRIDE_HOSTNAME", "mail.example.com"));
        assertEquals(ClusterSettings.Discovery.STATIC, c.discovery());
        assertEquals(Duration.ofSeconds(150), c.joinTimeout());
        c = cluster(Map.of("OVERRIDE_HOSTNAME", "mail.example.com", "MAILFLEET_CLUSTER_DISCOVERY", "kubernetes",
                "MAILFLEET_CLUSTER_JOIN_TIMEOUT", "3s"));
        assertEquals(ClusterSettings.Discovery.KUBERNETES, c.discovery());
        assertEquals(Duration.ofSeconds(3), c.joinTimeout());
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        String m = assertThrows(ConfigError.class, () -> cluster(Map.of("OVERRIDE_HOSTNAME", "mail.example.com",
                "MAILFLEET_CLUSTER_DISCOVERY", "dns"))).getMessage();
        assertTrue(m.contains("mailfleet.cluster.discovery") && m.contains("\"dns\"") && m.contains("static, kubernetes"), m);
        m = assertThrows(ConfigError.class, () -> cluster(Map.of("OVERRIDE_HOSTNAME", "mail.example.com",
                "MAILFLEET_CLUSTER_DISCOVERY", "kubernetes", "MAILFLEET_SEED_NODES", "10.0.0.1:7355"))).getMessage();
        assertTrue(m.contains("mailfleet.cluster.discovery") && m.contains("seed-nodes empty"), m);
        m = assertThrows(ConfigError.class, () -> cluster(Map.of("OVERRIDE_HOSTNAME", "mail.example.com",
                "MAILFLEET_CLUSTER_JOIN_TIMEOUT", "0s"))).getMessage();
        assertTrue(m.contains("mailfleet.cluster.join-timeout") && m.contains("MAILFLEET_CLUSTER_JOIN_TIMEOUT"), m);
    }
}
