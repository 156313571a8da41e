package io.mailfleet.protocols.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the server certificate comes from and which TLS versions and suites are allowed; shared by
 * every protocol front-end.
 *
 * @param type             the certificate source
 * @param certPath         {@code manual}: PEM chain (leaf first)
 * @param keyPath          {@code manual}: PEM private key
 * @param altCertPath      {@code manual}: optional second chain (for example RSA next to ECDSA), or null
 * @param altKeyPath       {@code manual}: key of the second chain, or null
 * @param letsencryptRoot  {@code letsencrypt}: the mounted {@code /etc/letsencrypt}
 * @param domainCandidates {@code letsencrypt}: names to look for under {@code live/}, in order
 * @param hostname         the server's FQDN (self-signed subject)
 * @param dataDir          the data directory ({@code self-signed} writes into {@code <dataDir>/tls})
 * @param level            protocol and cipher policy
 * @param pollInterval     how often certificate files are checked for replacement
 */
public record TlsSettings(SslType type, Path certPath, Path keyPath, Path altCertPath, Path altKeyPath,
                          Path letsencryptRoot, List<String> domainCandidates, String hostname, Path dataDir,
                          TlsLevel level, Duration pollInterval) {

    public TlsSettings {
        domainCandidates = List.copyOf(domainCandidates);
        if (type == SslType.MANUAL && (certPath == null || keyPath == null)) {
            throw new TlsConfigurationException("SSL_TYPE=manual needs SSL_CERT_PATH and SSL_KEY_PATH");
        }
        if ((altCertPath == null) != (altKeyPath == null)) {
            throw new TlsConfigurationException("SSL_ALT_CERT_PATH and SSL_ALT_KEY_PATH must be set together");
        }
        if (type == SslType.SELF_SIGNED && dataDir == null) {
            throw new TlsConfigurationException("SSL_TYPE=self-signed needs a data directory");
        }
    }

    /** TLS disabled. */
    public static TlsSettings none() {
        return new TlsSettings(SslType.NONE, null, null, null, null, null, List.of(), "localhost", null,
                TlsLevel.MODERN, Duration.ofSeconds(5));
    }

    /**
     * Reads docker-mailserver variables: {@code SSL_TYPE}, {@code SSL_CERT_PATH}, {@code SSL_KEY_PATH},
     * {@code SSL_ALT_CERT_PATH}, {@code SSL_ALT_KEY_PATH}, {@code SSL_DOMAIN}, {@code TLS_LEVEL}.
     */
    public static TlsSettings fromEnvironment(Map<String, String> env, String hostname, String domainName,
                                              Path dataDir) {
        SslType type = SslType.parse(env.get("SSL_TYPE"));
        List<String> candidates = new ArrayList<>();
        String sslDomain = env.get("SSL_DOMAIN");
        if (sslDomain != null && !sslDomain.isBlank()) {
            candidates.add(sslDomain.trim().replaceFirst("^\\*\\.", ""));
        }
        candidates.add(hostname);
        if (domainName != null && !domainName.isBlank()) {
            candidates.add(domainName);
        }
        int dot = hostname.indexOf('.');
        if (dot > 0 && hostname.indexOf('.', dot + 1) > 0) {
            candidates.add(hostname.substring(dot + 1)); // wildcard certificate of the parent domain
        }
        return new TlsSettings(type, path(env, "SSL_CERT_PATH"), path(env, "SSL_KEY_PATH"),
                path(env, "SSL_ALT_CERT_PATH"), path(env, "SSL_ALT_KEY_PATH"), Path.of("/etc/letsencrypt"),
                candidates.stream().distinct().toList(), hostname, dataDir, TlsLevel.parse(env.get("TLS_LEVEL")),
                Duration.ofSeconds(5));
    }

    private static Path path(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? null : Path.of(v.trim());
    }
}
