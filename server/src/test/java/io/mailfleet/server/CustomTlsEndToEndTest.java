package io.mailfleet.server;

import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.tls.PemFiles;
import io.mailfleet.protocols.tls.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-mailserver's {@code SSL_TYPE=custom} on a whole node: one PEM holding key and chain, plus an
 * RSA pair through {@code SSL_ALT_CERT_PATH}/{@code SSL_ALT_KEY_PATH}; real TLS clients that trust only
 * these two certificates see the one matching the suite they offer.
 */
class CustomTlsEndToEndTest {

    @TempDir
    Path data;

    @Test
    void aNodeWithSslTypeCustomServesTheCombinedPemAndTheRsaAlternative() throws Exception {
        Path full = TestCertificates.ecdsa("mail.example.com").writeCombined(data.resolve("certs/mail.example.com-full.pem"));
        TestCertificates.Pem rsa = TestCertificates.rsa("rsa.mail.example.com");
        Path altCert = rsa.writeCert(data.resolve("certs/rsa-cert.pem"));
        Path altKey = rsa.writeKey(data.resolve("certs/rsa-key.pem"));
        Map<String, String> env = TestServers.env(data.resolve("node"), Map.of("SSL_TYPE", "custom",
                "SSL_CERT_PATH", full.toString(), "SSL_ALT_CERT_PATH", altCert.toString(),
                "SSL_ALT_KEY_PATH", altKey.toString()));
        SSLContext client = trusting(PemFiles.readChain(full).get(0), PemFiles.readChain(altCert).get(0));
        try (MailfleetServer server = TestServers.start(env, null)) {
            int imaps = server.listeners().imapPorts().get(true);
            assertEquals("CN=mail.example.com",
                    served(client, imaps, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "* OK"));
            assertEquals("CN=rsa.mail.example.com",
                    served(client, imaps, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "* OK"));
            int smtps = server.listeners().smtpPorts().get(SmtpMode.SUBMISSIONS);
            assertEquals("CN=rsa.mail.example.com",
                    served(client, smtps, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "220"));
        }
    }

    /** Handshakes with only {@code suite} offered (TLS 1.2), reads the greeting, returns the server's subject. */
    private static String served(SSLContext ctx, int port, String suite, String greeting) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.setEnabledProtocols(new String[]{"TLSv1.2"});
            s.setEnabledCipherSuites(new String[]{suite});
            s.startHandshake();
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertTrue(line != null && line.startsWith(greeting), "greeting over TLS: " + line);
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /** A client context that trusts exactly the given certificates. */
    private static SSLContext trusting(X509Certificate... certs) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < certs.length; i++) {
            ks.setCertificateEntry("c" + i, certs[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
