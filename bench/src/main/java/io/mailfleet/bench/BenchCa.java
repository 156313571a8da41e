package io.mailfleet.bench;

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
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throw-away certificate authority of one bench run: the node trusts it through
 * {@code MAILFLEET_OUTBOUND_TLS_CA_FILE}, and it issues the certificates of the sink's STARTTLS and of
 * the MTA-STS policy host, so outbound TLS is verified as it would be against a public MX.
 */
final class BenchCa {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final KeyPair key;
    private final X509Certificate cert;

    BenchCa() throws Exception {
        key = keyPair();
        X500Name name = new X500Name("CN=Mailfleet bench CA");
        cert = sign(name, key.getPublic(), name, true);
    }

    /** Writes the CA certificate as PEM to {@code file}, the form the node's CA file setting reads. */
    Path writePem(Path file) throws Exception {
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return file;
    }

    /** A server context whose certificate, issued by this CA, names {@code names} (SAN dNSNames). */
    SSLContext server(String... names) throws Exception {
        KeyPair k = keyPair();
        X509Certificate c = sign(new X500Name("CN=" + names[0]), k.getPublic(),
                X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()), false, names);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", k.getPrivate(), "pw".toCharArray(), new X509Certificate[] {c, cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private X509Certificate sign(X500Name subject, PublicKey publicKey, X500Name issuer, boolean ca, String... names)
            throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject, publicKey);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (names.length > 0) {
            GeneralName[] san = new GeneralName[names.length];
            for (int i = 0; i < names.length; i++) {
                san[i] = new GeneralName(GeneralName.dNSName, names[i]);
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }
}
