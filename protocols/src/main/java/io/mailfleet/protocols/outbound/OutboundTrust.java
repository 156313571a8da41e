package io.mailfleet.protocols.outbound;

import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/** The certificate authorities {@code verify} and {@code secure} trust: the JVM's store or a PEM file. */
public final class OutboundTrust {

    private final TrustManagerFactory factory;
    private final String source;

    private OutboundTrust(TrustManagerFactory factory, String source) {
        this.factory = factory;
        this.source = source;
    }

    /** The system (JVM) trust store. */
    public static OutboundTrust system() {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            return new OutboundTrust(f, "system trust store");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the system trust store: " + e.getMessage(), e);
        }
    }

    /**
     * The CA certificates of a PEM file (one or more {@code BEGIN CERTIFICATE} blocks) instead of the system store.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no certificate
     */
    public static OutboundTrust caFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("CA file " + file + " holds no certificate");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(ks);
            return new OutboundTrust(f, "CA file " + file);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("CA file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The trust managers' factory, for TLS contexts that verify against these authorities. */
    public TrustManagerFactory factory() {
        return factory;
    }

    /** The X.509 trust manager, for checking a chain after a handshake that did not verify it. */
    javax.net.ssl.X509TrustManager x509() {
        for (javax.net.ssl.TrustManager m : factory.getTrustManagers()) {
            if (m instanceof javax.net.ssl.X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X.509 trust manager in " + source);
    }

    @Override
    public String toString() {
        return source;
    }
}
