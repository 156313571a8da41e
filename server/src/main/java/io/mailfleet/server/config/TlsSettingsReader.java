package io.mailfleet.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads {@code mailfleet.tls.*} (docker-mailserver's SSL_* variables) into {@link TlsSettings}. */
final class TlsSettingsReader {

    private static final String CERT = "mailfleet.tls.cert-path";
    private static final String KEY = "mailfleet.tls.key-path";
    private static final String ALT_CERT = "mailfleet.tls.alt-cert-path";
    private static final String ALT_KEY = "mailfleet.tls.alt-key-path";

    private TlsSettingsReader() {
    }

    /**
     * @param dmsDir the docker-mailserver config volume, where {@code custom} finds {@code ssl/<name>-full.pem}
     *               when no certificate path is given
     */
    static TlsSettings read(ValueReader r, String hostname, Optional<Path> dmsDir) {
        Map<String, TlsSettings.Type> types = new LinkedHashMap<>();
        types.put("", TlsSettings.Type.NONE);
        types.put("manual", TlsSettings.Type.MANUAL);
        types.put("letsencrypt", TlsSettings.Type.LETSENCRYPT);
        types.put("self-signed", TlsSettings.Type.SELF_SIGNED);
        types.put("custom", TlsSettings.Type.CUSTOM);
        Map<String, TlsSettings.Level> levels = new LinkedHashMap<>();
        levels.put("modern", TlsSettings.Level.MODERN);
        levels.put("intermediate", TlsSettings.Level.INTERMEDIATE);
        TlsSettings.Type type = r.choice("mailfleet.tls.type", types);
        TlsSettings.Level level = r.choice("mailfleet.tls.level", levels);
        Optional<Path> cert = MailfleetConfig.optionalFile(r, CERT);
        Optional<Path> key = MailfleetConfig.optionalFile(r, KEY);
        Optional<Path> altCert = MailfleetConfig.optionalFile(r, ALT_CERT);
        Optional<Path> altKey = MailfleetConfig.optionalFile(r, ALT_KEY);
        String sslDomain = r.string("mailfleet.tls.domain").toLowerCase(Locale.ROOT);
        // docker-mailserver documents SSL_DOMAIN=*.example.com for wildcard certificates
        String domain = sslDomain.startsWith("*.") ? sslDomain.substring(2) : sslDomain;
        if (!domain.isEmpty() && !MailfleetConfig.isFqdn(domain)) {
            throw r.invalid("mailfleet.tls.domain", sslDomain,
                    "a domain name such as mail.example.com or *.example.com, or \"\" for the hostname");
        }
        if (type == TlsSettings.Type.MANUAL) {
            if (cert.isEmpty()) {
                throw r.invalid(CERT, "", "the path of a PEM certificate file, SSL_CERT_PATH (required when "
                        + "mailfleet.tls.type = manual)");
            }
            if (key.isEmpty()) {
                throw r.invalid(KEY, "", "the path of a PEM private key file, SSL_KEY_PATH (required when "
                        + "mailfleet.tls.type = manual)");
            }
        }
        if (type == TlsSettings.Type.CUSTOM) {
            if (cert.isEmpty()) {
                if (key.isPresent()) {
                    throw r.invalid(CERT, "", "the path of the PEM certificate chain, SSL_CERT_PATH (required "
                            + "when mailfleet.tls.type = custom and SSL_KEY_PATH is set)");
                }
                cert = Optional.of(combinedPem(r, dmsDir, domain, hostname));
            }
            if (key.isEmpty()) {
                key = cert; // custom: one PEM holds the key and the full chain
            }
        }
        if (altCert.isPresent() != altKey.isPresent()) {
            boolean keyMissing = altCert.isPresent();
            throw r.invalid(keyMissing ? ALT_KEY : ALT_CERT, "", "a path, " + (keyMissing ? "SSL_ALT_KEY_PATH"
                    : "SSL_ALT_CERT_PATH") + ": the alternative certificate and key must be given together");
        }
        return new TlsSettings(type, level, cert, key, altCert, altKey, domain.isEmpty() ? hostname : domain);
    }

    /** docker-mailserver's {@code custom} file: {@code <dms-config-dir>/ssl/<SSL_DOMAIN or hostname>-full.pem}. */
    private static Path combinedPem(ValueReader r, Optional<Path> dmsDir, String domain, String hostname) {
        List<Path> tried = new ArrayList<>();
        if (dmsDir.isPresent()) {
            for (String name : domain.isEmpty() || domain.equals(hostname) ? List.of(hostname) : List.of(domain, hostname)) {
                Path p = dmsDir.get().resolve("ssl").resolve(name + "-full.pem");
                if (Files.isRegularFile(p) && Files.isReadable(p)) {
                    return p;
                }
                tried.add(p);
            }
        }
        throw r.invalid(CERT, "", "the path of one PEM file holding the private key and the full chain, SSL_CERT_PATH"
                + " (required when mailfleet.tls.type = custom"
                + (tried.isEmpty() ? " and no mailfleet.dms-config-dir holds ssl/<hostname>-full.pem)"
                : "; no readable " + tried.stream().map(Path::toString).reduce((a, b) -> a + " or " + b).orElseThrow() + ")"));
    }
}
