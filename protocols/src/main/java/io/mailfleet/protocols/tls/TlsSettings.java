package io.mailfleet.protocols.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the server certificate comes from and which TLS versions and suites are allowed; shared by
 * every protocol front-end. Built from the validated operator configuration, never parsed here.
 *
 * @param type             the certificate source
 * @param certPath         {@code manual}/{@code custom}: PEM chain (leaf first)
 * @param keyPath          {@code manual}/{@code custom}: PEM private key (for {@code custom} usually the same file)
 * @param altCertPath      {@code manual}/{@code custom}: optional second chain (for example RSA next to ECDSA), or null
 * @param altKeyPath       {@code manual}/{@code custom}: key of the second chain, or null
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

    /** Where docker-mailserver's {@code letsencrypt} mode finds certificates. */
    public static final Path LETSENCRYPT_ROOT = Path.of("/etc/letsencrypt");
    /** How often certificate files are checked for a renewal. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    public TlsSettings {
        domainCandidates = List.copyOf(domainCandidates);
        if ((type == SslType.MANUAL || type == SslType.CUSTOM) && (certPath == null || keyPath == null)) {
            throw new TlsConfigurationException("SSL_TYPE=" + type.name().toLowerCase(Locale.ROOT)
                    + " needs SSL_CERT_PATH and SSL_KEY_PATH");
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
                TlsLevel.MODERN, DEFAULT_POLL_INTERVAL);
    }

    /** A self-signed certificate for {@code hostname}, kept under {@code <dataDir>/tls}. */
    public static TlsSettings selfSigned(String hostname, Path dataDir) {
        return new TlsSettings(SslType.SELF_SIGNED, null, null, null, null, null, List.of(), hostname, dataDir,
                TlsLevel.MODERN, DEFAULT_POLL_INTERVAL);
    }

    /**
     * The names looked up under {@code live/} in {@code letsencrypt} mode, in docker-mailserver's order:
     * {@code SSL_DOMAIN} (a leading {@code *.} dropped), the hostname, the mail domain, and the
     * hostname's parent domain (where a wildcard certificate lives).
     *
     * @param sslDomain  {@code SSL_DOMAIN}, or null/blank when not set
     * @param domainName the mail domain, or null
     */
    public static List<String> letsEncryptNames(String sslDomain, String hostname, String domainName) {
        List<String> candidates = new ArrayList<>();
        if (sslDomain != null && !sslDomain.isBlank()) {
            candidates.add(sslDomain.trim().replaceFirst("^\\*\\.", ""));
        }
        candidates.add(hostname);
        if (domainName != null && !domainName.isBlank()) {
            candidates.add(domainName);
        }
        int dot = hostname.indexOf('.');
        if (dot > 0 && hostname.indexOf('.', dot + 1) > 0) {
            candidates.add(hostname.substring(dot + 1));
        }
        return candidates.stream().distinct().toList();
    }
}
