package io.mailfleet.protocols.outbound;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** A certificate authority made in the test, issuing server certificates for sinks. */
public final class TestCa {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final KeyPair key;
    private final X509Certificate cert;

    public TestCa(String name) throws Exception {
        key = keyPair();
        cert = sign(new X500Name("CN=" + name), key.getPublic(), new X500Name("CN=" + name), key.getPrivate(),
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), true);
    }

    /** The CA certificate as PEM, written to {@code file} (the trust for {@link OutboundTrust#caFile}). */
    public Path writePem(Path file) throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Files.writeString(file, pem);
        return file;
    }

    /** A server context with a certificate from this CA for {@code names} (SAN dNSNames), valid now. */
    public SSLContext server(String... names) throws Exception {
        return server(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(10)), names);
    }

    /** A server certificate from this CA with its context, for tests that publish TLSA records of it. */
    public record Issued(SSLContext context, X509Certificate certificate) {
    }

    /** Like {@link #server}, also giving the certificate. */
    public Issued issue(String... names) throws Exception {
        KeyPair k = keyPair();
        X509Certificate c = sign(new X500Name("CN=" + names[0]), k.getPublic(), X500Name.getInstance(
                cert.getSubjectX500Principal().getEncoded()), key.getPrivate(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(10)), false, names);
        return new Issued(context(k.getPrivate(), c, cert), c);
    }

    /** The CA certificate. */
    public X509Certificate certificate() {
        return cert;
    }

    /** A server context with a certificate from this CA that expired yesterday. */
    public SSLContext expired(String... names) throws Exception {
        return server(Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1)), names);
    }

    /** A server context with a self-signed certificate (no CA) for {@code names}. */
    public static SSLContext selfSigned(String... names) throws Exception {
        KeyPair k = keyPair();
        X509Certificate c = sign(new X500Name("CN=" + names[0]), k.getPublic(), new X500Name("CN=" + names[0]),
                k.getPrivate(), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(10)), false,
                names);
        return context(k.getPrivate(), c);
    }

    private SSLContext server(Instant from, Instant to, String... names) throws Exception {
        KeyPair k = keyPair();
        X509Certificate c = sign(new X500Name("CN=" + names[0]), k.getPublic(), X500Name.getInstance(
                cert.getSubjectX500Principal().getEncoded()), key.getPrivate(), from, to, false, names);
        return context(k.getPrivate(), c, cert);
    }

    private static SSLContext context(PrivateKey privateKey, X509Certificate... chain) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", privateKey, "pw".toCharArray(), chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, java.security.PublicKey publicKey, X500Name issuer,
                                        PrivateKey signer, Instant from, Instant to, boolean ca, String... names)
            throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), subject, publicKey);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (names.length > 0) {
            GeneralName[] san = new GeneralName[names.length];
            for (int i = 0; i < names.length; i++) {
                san[i] = new GeneralName(GeneralName.dNSName, names[i]);
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }
}
