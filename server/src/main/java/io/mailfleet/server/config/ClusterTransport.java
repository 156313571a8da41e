package io.mailfleet.server.config;

import com.typesafe.config.Config;
import io.mailfleet.server.cluster.credentials.CredentialFiles;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Artery settings every node runs with: TLS over TCP with mutual authentication against the
 * cluster's own CA (Pekko's RotatingKeysSSLEngineProvider reading the PEM files of
 * {@code mailfleet.cluster.credentials-dir}). They are not operator choices: plain TCP let anyone who
 * reached the cluster port join as a member, so a configuration that sets them otherwise is refused.
 */
final class ClusterTransport {

    static final String TRANSPORT = "pekko.remote.artery.transport";
    static final String PROVIDER = "pekko.remote.artery.ssl.ssl-engine-provider";
    static final String ENGINE = "pekko.remote.artery.ssl.rotating-keys-engine";
    static final String PROVIDER_CLASS = io.mailfleet.server.cluster.credentials.ClusterTlsEngineProvider.class.getName();

    private ClusterTransport() {
    }

    /** The forced values; throws when the user's configuration sets one of them to something else. */
    static Map<String, Object> derive(ClusterSettings cluster, Config user) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(TRANSPORT, "tls-tcp");
        v.put(PROVIDER, PROVIDER_CLASS);
        CredentialFiles files = new CredentialFiles(cluster.credentialsDir());
        v.put(ENGINE + ".key-file", files.nodeKey().toString());
        v.put(ENGINE + ".cert-file", files.nodeCert().toString());
        v.put(ENGINE + ".ca-cert-file", files.caCert().toString());
        for (Map.Entry<String, Object> e : v.entrySet()) {
            if (user.hasPathOrNull(e.getKey()) && (user.getIsNull(e.getKey())
                    || !user.getValue(e.getKey()).unwrapped().equals(e.getValue()))) {
                throw new ConfigError(e.getKey() + ": the cluster transport is always TLS with mutual authentication "
                        + "and is not configurable; set mailfleet.cluster.credentials-dir (MAILFLEET_CLUSTER_CREDENTIALS_DIR) "
                        + "to choose the credentials (docs/cluster.md)");
            }
        }
        return v;
    }
}
