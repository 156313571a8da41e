package io.mailfleet.server;

import io.mailfleet.server.config.Settings;
import io.mailfleet.protocols.tls.SslType;
import io.mailfleet.protocols.tls.TlsLevel;
import io.mailfleet.protocols.tls.TlsSettings;

import java.nio.file.Path;
import java.util.List;

/** Maps the validated operator TLS settings onto the protocol module's TLS settings, field by field. */
final class TlsWiring {

    private TlsWiring() {
    }

    static TlsSettings from(Settings s) {
        io.mailfleet.server.config.TlsSettings t = s.tls();
        SslType type = switch (t.type()) {
            case NONE -> SslType.NONE;
            case MANUAL -> SslType.MANUAL;
            case LETSENCRYPT -> SslType.LETSENCRYPT;
            case SELF_SIGNED -> SslType.SELF_SIGNED;
            case CUSTOM -> SslType.CUSTOM;
        };
        TlsLevel level = switch (t.level()) {
            case MODERN -> TlsLevel.MODERN;
            case INTERMEDIATE -> TlsLevel.INTERMEDIATE;
        };
        List<String> letsEncryptNames = type == SslType.LETSENCRYPT
                ? TlsSettings.letsEncryptNames(t.domain(), s.hostname(), s.domainName()) : List.of();
        return new TlsSettings(type, orNull(t.certPath()), orNull(t.keyPath()), orNull(t.altCertPath()),
                orNull(t.altKeyPath()), TlsSettings.LETSENCRYPT_ROOT, letsEncryptNames, s.hostname(), s.dataDir(),
                level, TlsSettings.DEFAULT_POLL_INTERVAL);
    }

    private static Path orNull(java.util.Optional<Path> p) {
        return p.orElse(null);
    }
}
