package io.mailfleet.server.config;

import io.mailfleet.protocols.outbound.TlsPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mailfleet.outbound.tls.level and .ca-file: default, environment, and start-up errors naming the key. */
class OutboundTlsConfigTest {

    @TempDir
    Path tmp;

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        m.put("MAILFLEET_DATA", tmp.toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultIsMayWithTheSystemTrustStore() {
        OutboundConfig o = MailfleetConfig.load(null, env()).settings().outbound();
        assertEquals(TlsPolicy.MAY, o.tlsLevel());
        assertNull(o.tlsCaFile());
    }

    @Test
    void environmentSetsLevelAndCaFile() throws Exception {
        Path ca = Files.writeString(tmp.resolve("ca.pem"), "pem");
        OutboundConfig o = MailfleetConfig.load(null, env("MAILFLEET_OUTBOUND_TLS_LEVEL", "dane-only",
                "MAILFLEET_OUTBOUND_TLS_CA_FILE", ca.toString())).settings().outbound();
        assertEquals(TlsPolicy.DANE_ONLY, o.tlsLevel());
        assertEquals(ca, o.tlsCaFile());
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        String m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null,
                env("MAILFLEET_OUTBOUND_TLS_LEVEL", "mandatory"))).getMessage();
        assertTrue(m.contains("mailfleet.outbound.tls.level") && m.contains("mandatory") && m.contains("verify"), m);
        m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null,
                env("MAILFLEET_OUTBOUND_TLS_CA_FILE", tmp.resolve("missing.pem").toString()))).getMessage();
        assertTrue(m.contains("mailfleet.outbound.tls.ca-file") && m.contains("missing.pem"), m);
        m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null,
                env("MAILFLEET_OUTBOUND_DANE_TRUST_ANCHOR", tmp.resolve("missing.key").toString()))).getMessage();
        assertTrue(m.contains("mailfleet.outbound.dane.trust-anchor") && m.contains("missing.key"), m);
    }

    @Test
    void daneTrustAnchorsDefaultToTheRootAndComeFromAFile() throws Exception {
        assertTrue(MailfleetConfig.load(null, env()).settings().outbound().dnssecAnchors().toString().contains("root"));
        // unbound's root.key form: no TTL.
        Path key = Files.writeString(tmp.resolve("root.key"),
                ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
        OutboundConfig o = MailfleetConfig.load(null, env("MAILFLEET_OUTBOUND_DANE_TRUST_ANCHOR", key.toString()))
                .settings().outbound();
        assertTrue(o.dnssecAnchors().toString().contains("root.key"), o.dnssecAnchors().toString());
        Path garbage = Files.writeString(tmp.resolve("garbage.key"), "example. IN A 192.0.2.1\n");
        String m = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null,
                env("MAILFLEET_OUTBOUND_DANE_TRUST_ANCHOR", garbage.toString()))).getMessage();
        assertTrue(m.contains("mailfleet.outbound.dane.trust-anchor") && m.contains("not a DS or DNSKEY"), m);
    }
}
