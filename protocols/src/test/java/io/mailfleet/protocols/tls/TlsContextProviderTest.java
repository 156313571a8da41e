package io.mailfleet.protocols.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsContextProviderTest {

    private static String subject(TlsContextProvider p) {
        return p.certificate().orElseThrow().getSubjectX500Principal().getName();
    }

    private static TlsSettings manual(Path cert, Path key, TlsLevel level) {
        return new TlsSettings(SslType.MANUAL, cert, key, null, null, null, List.of(), "mail.example.com", null,
                level, Duration.ofMillis(100));
    }

    @Test
    void manualCertificateIsReloadedWhenTheFilesAreReplaced(@TempDir Path dir) throws Exception {
        SelfSignedCertificates.ensure(dir.resolve("a"), "a.example.com");
        SelfSignedCertificates.ensure(dir.resolve("b"), "b.example.com");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.copy(SelfSignedCertificates.certFile(dir.resolve("a"), "a.example.com"), cert);
        Files.copy(SelfSignedCertificates.keyFile(dir.resolve("a"), "a.example.com"), key);
        try (TlsContextProvider p = TlsContextProvider.start(manual(cert, key, TlsLevel.MODERN))) {
            assertEquals("CN=a.example.com", subject(p));
            assertEquals("CN=a.example.com", handshakePeer(p, null).getSubjectX500Principal().getName());
            Path tmpKey = dir.resolve("key.tmp");
            Path tmpCert = dir.resolve("cert.tmp");
            Files.copy(SelfSignedCertificates.keyFile(dir.resolve("b"), "b.example.com"), tmpKey);
            Files.copy(SelfSignedCertificates.certFile(dir.resolve("b"), "b.example.com"), tmpCert);
            Files.setLastModifiedTime(tmpCert, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            Files.move(tmpKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmpCert, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!subject(p).equals("CN=b.example.com") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals("CN=b.example.com", subject(p));
            assertEquals("CN=b.example.com", handshakePeer(p, null).getSubjectX500Principal().getName());
        }
    }

    @Test
    void theWatcherSurvivesAnErrorInOneTickAndStillReloads(@TempDir Path dir) throws Exception {
        SelfSignedCertificates.ensure(dir.resolve("a"), "a.example.com");
        SelfSignedCertificates.ensure(dir.resolve("b"), "b.example.com");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.copy(SelfSignedCertificates.certFile(dir.resolve("a"), "a.example.com"), cert);
        Files.copy(SelfSignedCertificates.keyFile(dir.resolve("a"), "a.example.com"), key);
        try (TlsContextProvider p = TlsContextProvider.start(manual(cert, key, TlsLevel.MODERN))) {
            java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
            p.beforeTick = () -> {
                p.beforeTick = () -> { };
                failed.countDown();
                throw new OutOfMemoryError("Java heap space (simulated in the watcher)");
            };
            assertTrue(failed.await(30, java.util.concurrent.TimeUnit.SECONDS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (p.watcher().orElseThrow().health().failures() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, p.watcher().orElseThrow().health().failures());
            // a renewal after the error is still picked up: the schedule was not cancelled
            Path tmpKey = dir.resolve("key.tmp");
            Path tmpCert = dir.resolve("cert.tmp");
            Files.copy(SelfSignedCertificates.keyFile(dir.resolve("b"), "b.example.com"), tmpKey);
            Files.copy(SelfSignedCertificates.certFile(dir.resolve("b"), "b.example.com"), tmpCert);
            Files.setLastModifiedTime(tmpCert, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            Files.move(tmpKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmpCert, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            while (!subject(p).equals("CN=b.example.com") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals("CN=b.example.com", subject(p));
            assertTrue(!p.watcher().orElseThrow().health().failing(), "healthy again after a good tick");
        }
    }

    @Test
    void aBrokenRenewalKeepsTheOldCertificateAndReportsTheWatcherFailing(@TempDir Path dir) throws Exception {
        SelfSignedCertificates.ensure(dir.resolve("a"), "a.example.com");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.copy(SelfSignedCertificates.certFile(dir.resolve("a"), "a.example.com"), cert);
        Files.copy(SelfSignedCertificates.keyFile(dir.resolve("a"), "a.example.com"), key);
        try (TlsContextProvider p = TlsContextProvider.start(manual(cert, key, TlsLevel.MODERN))) {
            Files.writeString(cert, "not a certificate");
            Files.setLastModifiedTime(cert, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!p.watcher().orElseThrow().health().failing() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.watcher().orElseThrow().health().failing());
            assertTrue(p.watcher().orElseThrow().health().lastError().contains("TLS certificate reload failed"));
            assertEquals("CN=a.example.com", subject(p));
        }
    }

    @Test
    void modernRejectsNonAeadSuitesWhichIntermediateAllows(@TempDir Path dir) throws Exception {
        SelfSignedCertificates.ensure(dir, "mail.example.com");
        Path cert = SelfSignedCertificates.certFile(dir, "mail.example.com");
        Path key = SelfSignedCertificates.keyFile(dir, "mail.example.com");
        String cbc = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
        try (TlsContextProvider modern = TlsContextProvider.start(manual(cert, key, TlsLevel.MODERN));
             TlsContextProvider intermediate = TlsContextProvider.start(manual(cert, key, TlsLevel.INTERMEDIATE))) {
            assertThrows(SSLException.class, () -> handshakePeer(modern, cbc));
            assertEquals("CN=mail.example.com", handshakePeer(intermediate, cbc).getSubjectX500Principal().getName());
        }
    }

    @Test
    void selfSignedIsGeneratedOnceAndReused(@TempDir Path dir) {
        TlsSettings s = new TlsSettings(SslType.SELF_SIGNED, null, null, null, null, null, List.of(),
                "mail.example.com", dir, TlsLevel.MODERN, Duration.ofSeconds(5));
        X509Certificate first;
        try (TlsContextProvider p = TlsContextProvider.start(s)) {
            first = p.certificate().orElseThrow();
        }
        try (TlsContextProvider p = TlsContextProvider.start(s)) {
            assertEquals(first, p.certificate().orElseThrow());
        }
        assertTrue(Files.isRegularFile(dir.resolve("tls/mail.example.com-key.pem")));
    }

    @Test
    void letsEncryptLayoutAndTheErrorListingTriedDirectories(@TempDir Path dir) throws Exception {
        TlsSettings s = new TlsSettings(SslType.LETSENCRYPT, null, null, null, null, dir.resolve("letsencrypt"),
                TlsSettings.letsEncryptNames("*.example.com", "mail.example.com", "example.com"), "mail.example.com",
                dir, TlsLevel.MODERN, TlsSettings.DEFAULT_POLL_INTERVAL);
        assertEquals(List.of("example.com", "mail.example.com"), s.domainCandidates());
        TlsConfigurationException e = assertThrows(TlsConfigurationException.class, () -> TlsContextProvider.start(s));
        assertTrue(e.getMessage().contains("live/example.com") && e.getMessage().contains("live/mail.example.com"),
                e.getMessage());
        SelfSignedCertificates.ensure(dir.resolve("gen"), "mail.example.com");
        Path live = Files.createDirectories(dir.resolve("letsencrypt/live/mail.example.com"));
        Files.copy(SelfSignedCertificates.certFile(dir.resolve("gen"), "mail.example.com"), live.resolve("fullchain.pem"));
        Files.copy(SelfSignedCertificates.keyFile(dir.resolve("gen"), "mail.example.com"), live.resolve("privkey.pem"));
        try (TlsContextProvider p = TlsContextProvider.start(s)) {
            assertEquals("CN=mail.example.com", subject(p));
        }
    }

    @Test
    void letsEncryptNamesFollowDockerMailserversOrder() {
        assertEquals(List.of("example.org", "mail.example.com", "example.com"),
                TlsSettings.letsEncryptNames("*.example.org", "mail.example.com", "example.com"));
        assertEquals(List.of("mx.mail.example.com", "mail.example.com"),
                TlsSettings.letsEncryptNames("", "mx.mail.example.com", "mail.example.com"));
    }

    @Test
    void badSettingsNameTheProblem() {
        assertTrue(assertThrows(TlsConfigurationException.class, () -> manual(null, null, TlsLevel.MODERN))
                .getMessage().contains("SSL_TYPE=manual needs SSL_CERT_PATH and SSL_KEY_PATH"));
        assertTrue(assertThrows(TlsConfigurationException.class, () -> new TlsSettings(SslType.CUSTOM, null, null,
                null, null, null, List.of(), "h.example.com", null, TlsLevel.MODERN, Duration.ofSeconds(5)))
                .getMessage().contains("SSL_TYPE=custom needs SSL_CERT_PATH and SSL_KEY_PATH"));
        Path p = Path.of("a.pem");
        assertTrue(assertThrows(TlsConfigurationException.class, () -> new TlsSettings(SslType.CUSTOM, p, p,
                p, null, null, List.of(), "h.example.com", null, TlsLevel.MODERN, Duration.ofSeconds(5)))
                .getMessage().contains("SSL_ALT_CERT_PATH and SSL_ALT_KEY_PATH must be set together"));
    }

    @Test
    void customServesTheCombinedPemAndTheAlternativePairByAlgorithm(@TempDir Path dir) throws Exception {
        Path full = TestCertificates.ecdsa("mail.example.com").writeCombined(dir.resolve("mail.example.com-full.pem"));
        TestCertificates.Pem rsa = TestCertificates.rsa("rsa.mail.example.com");
        Path altCert = rsa.writeCert(dir.resolve("rsa-cert.pem"));
        Path altKey = rsa.writeKey(dir.resolve("rsa-key.pem"));
        TlsSettings s = new TlsSettings(SslType.CUSTOM, full, full, altCert, altKey, null, List.of(),
                "mail.example.com", null, TlsLevel.MODERN, Duration.ofSeconds(5));
        try (TlsContextProvider p = TlsContextProvider.start(s)) {
            assertEquals("CN=mail.example.com", subject(p));
            assertEquals("CN=mail.example.com",
                    handshakePeer(p, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").getSubjectX500Principal().getName());
            assertEquals("CN=rsa.mail.example.com",
                    handshakePeer(p, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").getSubjectX500Principal().getName());
        }
    }

    @Test
    void missingKeyFileIsReported(@TempDir Path dir) {
        TlsSettings s = manual(dir.resolve("nope.pem"), dir.resolve("nokey.pem"), TlsLevel.MODERN);
        assertTrue(assertThrows(TlsConfigurationException.class, () -> TlsContextProvider.start(s)).getMessage()
                .contains("nope.pem"));
    }

    /** Runs a client handshake in memory against a new server engine; returns the server certificate. */
    private static X509Certificate handshakePeer(TlsContextProvider p, String onlyCipher) throws Exception {
        SSLEngine server = p.current().orElseThrow().newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLEngine client = ctx.createSSLEngine("mail.example.com", 465);
        client.setUseClientMode(true);
        if (onlyCipher != null) {
            client.setEnabledProtocols(new String[]{"TLSv1.2"});
            client.setEnabledCipherSuites(new String[]{onlyCipher});
        }
        ByteBuffer c2s = ByteBuffer.allocate(1 << 17);
        ByteBuffer s2c = ByteBuffer.allocate(1 << 17);
        ByteBuffer app = ByteBuffer.allocate(1 << 17);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 200 && !(done(client) && done(server)); i++) {
            step(client, s2c, c2s, app);
            step(server, c2s, s2c, app);
        }
        return (X509Certificate) client.getSession().getPeerCertificates()[0];
    }

    private static boolean done(SSLEngine e) {
        var hs = e.getHandshakeStatus();
        return hs == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || hs == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        switch (e.getHandshakeStatus()) {
            case NEED_WRAP -> e.wrap(ByteBuffer.allocate(0), out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                e.unwrap(in, app);
                in.compact();
            }
            case NEED_TASK -> {
                Runnable r;
                while ((r = e.getDelegatedTask()) != null) {
                    r.run();
                }
            }
            default -> {
            }
        }
    }
}
