package io.mailfleet.server.config;

import io.mailfleet.protocols.tls.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SSL_* variables read into typed settings, and the combinations that stop start-up. */
class TlsSettingsReaderTest {

    @TempDir
    Path tmp;

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static TlsSettings tls(Map<String, String> env) {
        return MailfleetConfig.load(null, env).settings().tls();
    }

    private static String error(Map<String, String> env) {
        ConfigError e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void customTakesOneCombinedPemFromSslCertPath() throws Exception {
        Path full = TestCertificates.ecdsa("mail.example.com").writeCombined(tmp.resolve("full.pem"));
        TlsSettings t = tls(env("SSL_TYPE", "custom", "SSL_CERT_PATH", full.toString()));
        assertEquals(TlsSettings.Type.CUSTOM, t.type());
        assertEquals(Optional.of(full), t.certPath());
        assertEquals(Optional.of(full), t.keyPath(), "the combined file holds the key as well");
        assertTrue(t.altCertPath().isEmpty());
    }

    @Test
    void customAcceptsSeparateKeyAndAnAlternativePair() throws Exception {
        TestCertificates.Pem ec = TestCertificates.ecdsa("mail.example.com");
        TestCertificates.Pem rsa = TestCertificates.rsa("mail.example.com");
        Path cert = ec.writeCert(tmp.resolve("cert.pem"));
        Path key = ec.writeKey(tmp.resolve("key.pem"));
        Path altCert = rsa.writeCert(tmp.resolve("rsa-cert.pem"));
        Path altKey = rsa.writeKey(tmp.resolve("rsa-key.pem"));
        TlsSettings t = tls(env("SSL_TYPE", "custom", "SSL_CERT_PATH", cert.toString(), "SSL_KEY_PATH", key.toString(),
                "SSL_ALT_CERT_PATH", altCert.toString(), "SSL_ALT_KEY_PATH", altKey.toString()));
        assertEquals(Optional.of(key), t.keyPath());
        assertEquals(Optional.of(altCert), t.altCertPath());
        assertEquals(Optional.of(altKey), t.altKeyPath());
    }

    @Test
    void customFindsDockerMailserversFullPemInTheConfigDirectory() throws Exception {
        Path dms = Files.createDirectories(tmp.resolve("dms"));
        Path full = TestCertificates.ecdsa("mail.example.com").writeCombined(dms.resolve("ssl/mail.example.com-full.pem"));
        TlsSettings t = tls(env("SSL_TYPE", "custom", "DMS_CONFIG_DIR", dms.toString()));
        assertEquals(Optional.of(full), t.certPath());
        assertEquals(Optional.of(full), t.keyPath());
    }

    @Test
    void customWithoutACertificateStopsStartUpNamingTheVariable() throws Exception {
        String m = error(env("SSL_TYPE", "custom"));
        assertTrue(m.contains("mailfleet.tls.cert-path") && m.contains("SSL_CERT_PATH") && m.contains("custom"), m);

        Path dms = Files.createDirectories(tmp.resolve("dms"));
        m = error(env("SSL_TYPE", "custom", "DMS_CONFIG_DIR", dms.toString()));
        assertTrue(m.contains("SSL_CERT_PATH") && m.contains(dms.resolve("ssl/mail.example.com-full.pem").toString()), m);

        Path key = TestCertificates.ecdsa("mail.example.com").writeKey(tmp.resolve("key.pem"));
        m = error(env("SSL_TYPE", "custom", "SSL_KEY_PATH", key.toString()));
        assertTrue(m.contains("mailfleet.tls.cert-path") && m.contains("SSL_CERT_PATH"), m);
    }

    @Test
    void anAlternativeCertificateWithoutItsKeyStopsStartUp() throws Exception {
        TestCertificates.Pem ec = TestCertificates.ecdsa("mail.example.com");
        Path full = ec.writeCombined(tmp.resolve("full.pem"));
        String m = error(env("SSL_TYPE", "custom", "SSL_CERT_PATH", full.toString(),
                "SSL_ALT_CERT_PATH", full.toString()));
        assertTrue(m.contains("mailfleet.tls.alt-key-path") && m.contains("SSL_ALT_KEY_PATH"), m);
        m = error(env("SSL_TYPE", "manual", "SSL_CERT_PATH", full.toString(), "SSL_KEY_PATH", full.toString(),
                "SSL_ALT_KEY_PATH", full.toString()));
        assertTrue(m.contains("mailfleet.tls.alt-cert-path") && m.contains("SSL_ALT_CERT_PATH"), m);
    }

    @Test
    void manualStillNeedsBothPaths() throws Exception {
        Path full = TestCertificates.ecdsa("mail.example.com").writeCombined(tmp.resolve("full.pem"));
        String m = error(env("SSL_TYPE", "manual", "SSL_CERT_PATH", full.toString()));
        assertTrue(m.contains("mailfleet.tls.key-path") && m.contains("SSL_KEY_PATH") && m.contains("manual"), m);
    }

    @Test
    void aWildcardSslDomainIsAcceptedWithoutItsStar() {
        assertEquals("example.com", tls(env("SSL_TYPE", "letsencrypt", "SSL_DOMAIN", "*.example.com")).domain());
        assertEquals("mail.example.com", tls(env("SSL_TYPE", "letsencrypt")).domain());
        String m = error(env("SSL_DOMAIN", "not a domain"));
        assertTrue(m.contains("mailfleet.tls.domain") && m.contains("SSL_DOMAIN"), m);
    }
}
