package io.mailfleet.ops.server;

import io.mailfleet.ops.config.Settings;
import io.mailfleet.protocols.tls.TlsSettings;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Translates the validated TLS settings into the protocol module's TLS settings. */
final class TlsWiring {

    private TlsWiring() {
    }

    static TlsSettings from(Settings s) {
        io.mailfleet.ops.config.TlsSettings t = s.tls();
        Map<String, String> env = new HashMap<>();
        env.put("SSL_TYPE", t.type() == io.mailfleet.ops.config.TlsSettings.Type.NONE ? ""
                : t.type().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        env.put("TLS_LEVEL", t.level().name().toLowerCase(Locale.ROOT));
        t.certPath().ifPresent(p -> env.put("SSL_CERT_PATH", p.toString()));
        t.keyPath().ifPresent(p -> env.put("SSL_KEY_PATH", p.toString()));
        t.altCertPath().ifPresent(p -> env.put("SSL_ALT_CERT_PATH", p.toString()));
        t.altKeyPath().ifPresent(p -> env.put("SSL_ALT_KEY_PATH", p.toString()));
        if (t.domain() != null && !t.domain().isBlank()) {
            env.put("SSL_DOMAIN", t.domain());
        }
        return TlsSettings.fromEnvironment(env, s.hostname(), s.domainName(), s.dataDir());
    }
}
