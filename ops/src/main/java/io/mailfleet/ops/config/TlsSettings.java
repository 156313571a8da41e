package io.mailfleet.ops.config;

import java.nio.file.Path;
import java.util.Optional;

/** Certificate source (docker-mailserver's SSL_TYPE) and protocol level. */
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
