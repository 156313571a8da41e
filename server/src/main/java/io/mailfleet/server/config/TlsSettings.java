package io.mailfleet.server.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Certificate source (docker-mailserver's SSL_TYPE) and protocol level.
 *
 * @param certPath    {@code manual}: the chain; {@code custom}: the chain, which may be the combined key + chain file
 *                    (SSL_CERT_PATH or {@code <dms-config-dir>/ssl/<name>-full.pem})
 * @param keyPath     {@code manual}: the key; {@code custom}: SSL_KEY_PATH, else the same file as {@code certPath}
 * @param altCertPath optional second chain ({@code manual} and {@code custom}), always set with {@code altKeyPath}
 * @param domain      SSL_DOMAIN without a leading {@code *.}, or the hostname when not set
 */
public record TlsSettings(Type type,
                          Level level,
                          Optional<Path> certPath,
                          Optional<Path> keyPath,
                          Optional<Path> altCertPath,
                          Optional<Path> altKeyPath,
                          String domain) {

    /** SSL_TYPE values; NONE is the empty value (TLS disabled). */
    public enum Type { NONE, MANUAL, LETSENCRYPT, SELF_SIGNED, CUSTOM }

    /** TLS_LEVEL values. */
    public enum Level { MODERN, INTERMEDIATE }
}
