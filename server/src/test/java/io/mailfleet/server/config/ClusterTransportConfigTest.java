package io.mailfleet.server.config;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterTransportConfigTest {

    @TempDir
    Path tmp;

    @Test
    void arteryAlwaysRunsMutualTlsWithTheCredentialsUnderTheDataDirectory() {
        Path data = tmp.resolve("data");
        LoadedConfig lc = MailfleetConfig.load(null, Map.of("OVERRIDE_HOSTNAME", "mail.example.com",
                "MAILFLEET_DATA", data.toString()));
        Config c = lc.config();
        Path dir = data.resolve("cluster-tls").toAbsolutePath();
        assertEquals(dir, lc.settings().cluster().credentialsDir());
        assertFalse(lc.settings().cluster().credentialsConfigured());
        assertEquals("tls-tcp", c.getString("pekko.remote.artery.transport"));
        assertEquals("io.mailfleet.server.cluster.credentials.ClusterTlsEngineProvider",
                c.getString("pekko.remote.artery.ssl.ssl-engine-provider"));
        assertEquals(dir.resolve("tls.key").toString(), c.getString("pekko.remote.artery.ssl.rotating-keys-engine.key-file"));
        assertEquals(dir.resolve("tls.crt").toString(), c.getString("pekko.remote.artery.ssl.rotating-keys-engine.cert-file"));
        assertEquals(dir.resolve("ca.crt").toString(), c.getString("pekko.remote.artery.ssl.rotating-keys-engine.ca-cert-file"));
    }

    @Test
    void anOperatorGivenCredentialsDirectoryIsUsedAsIs() {
        LoadedConfig lc = MailfleetConfig.load(null, Map.of("OVERRIDE_HOSTNAME", "mail.example.com",
                "MAILFLEET_CLUSTER_CREDENTIALS_DIR", "/run/secrets/mailfleet-cluster"));
        assertTrue(lc.settings().cluster().credentialsConfigured());
        assertEquals("/run/secrets/mailfleet-cluster/tls.key",
                lc.config().getString("pekko.remote.artery.ssl.rotating-keys-engine.key-file"));
    }

    @Test
    void aConfigurationAskingForPlainTcpIsRefused() throws Exception {
        Path f = tmp.resolve("mailfleet.conf");
        Files.writeString(f, "pekko.remote.artery.transport = tcp\n");
        ConfigError e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(f, Map.of("OVERRIDE_HOSTNAME", "mail.example.com")));
        assertTrue(e.getMessage().startsWith("pekko.remote.artery.transport: the cluster transport is always TLS"), e.getMessage());
    }

    @Test
    void anotherEngineProviderIsRefused() throws Exception {
        Path f = tmp.resolve("mailfleet.conf");
        Files.writeString(f, "pekko.remote.artery.ssl.ssl-engine-provider = org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider\n");
        ConfigError e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(f, Map.of("OVERRIDE_HOSTNAME", "mail.example.com")));
        assertTrue(e.getMessage().startsWith("pekko.remote.artery.ssl.ssl-engine-provider:"), e.getMessage());
    }

    @Test
    void theRefusalReportIntervalIsTenSecondsUnlessSetAndABadOneStopsStartUp() throws Exception {
        Map<String, String> env = Map.of("OVERRIDE_HOSTNAME", "mail.example.com");
        assertEquals(java.time.Duration.ofSeconds(10),
                MailfleetConfig.load(null, env).config().getDuration("mailfleet.cluster.refusal-report-interval"));
        Path f = tmp.resolve("mailfleet.conf");
        Files.writeString(f, "mailfleet.cluster.refusal-report-interval = 1s\n");
        assertEquals(java.time.Duration.ofSeconds(1),
                MailfleetConfig.load(f, env).config().getDuration("mailfleet.cluster.refusal-report-interval"));
        Files.writeString(f, "mailfleet.cluster.refusal-report-interval = 10ms\n");
        ConfigError e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(f, env));
        assertTrue(e.getMessage().contains("mailfleet.cluster.refusal-report-interval"), e.getMessage());
    }
}
