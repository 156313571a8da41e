package io.mailfleet.protocols.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Writes throw-away PEM certificates (ECDSA or RSA) for tests, separately or as one combined file. */
public final class TestCertificates {

    /** PEM texts of one key pair and its self-signed certificate. */
    public record Pem(String key, String cert) {

        /** Writes key and certificate into one file, key first (docker-mailserver's {@code -full.pem}). */
        public Path writeCombined(Path file) throws java.io.IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, key + cert);
        }

        public Path writeCert(Path file) throws java.io.IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, cert);
        }

        public Path writeKey(Path file) throws java.io.IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, key);
        }
    }

    private TestCertificates() {
    }

    /** A P-256 ECDSA certificate with subject {@code CN=<cn>}. */
    public static Pem ecdsa(String cn) {
        return create(cn, "EC");
    }

    /** A P-256 ECDSA certificate with subject {@code CN=<cn>} naming {@code cn} and {@code more} (SAN dNSNames). */
    public static Pem ecdsa(String cn, String... more) {
        return create(cn, "EC", more);
    }

    /** A 2048-bit RSA certificate with subject {@code CN=<cn>}. */
    public static Pem rsa(String cn) {
        return create(cn, "RSA");
    }

    private static Pem create(String cn, String algorithm, String... more) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                gen.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                gen.initialize(2048);
            }
            KeyPair kp = gen.generateKeyPair();
            X500Name subject = new X500Name("CN=" + cn);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(30))), subject, kp.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(java.util.stream.Stream.concat(java.util.stream.Stream.of(cn),
                            java.util.Arrays.stream(more)).map(n -> new GeneralName(GeneralName.dNSName, n))
                            .toArray(GeneralName[]::new)));
            String signer = algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            var holder = b.build(new JcaContentSignerBuilder(signer).build(kp.getPrivate()));
            return new Pem(pem(new JcaPKCS8Generator(kp.getPrivate(), null).generate()), pem(holder));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a test certificate: " + e.getMessage(), e);
        }
    }

    private static String pem(Object o) throws java.io.IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(o);
        }
        return text.toString();
    }
}
