package io.mailfleet.protocols.tls;

import io.mailfleet.core.files.PrivateFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Creates a self-signed certificate for the hostname once and reuses it on later starts. */
public final class SelfSignedCertificates {

    private SelfSignedCertificates() {
    }

    /** The certificate file for {@code hostname} under {@code dir}. */
    public static Path certFile(Path dir, String hostname) {
        return dir.resolve(hostname + "-cert.pem");
    }

    public static Path keyFile(Path dir, String hostname) {
        return dir.resolve(hostname + "-key.pem");
    }

    /** Generates key and certificate into {@code dir} unless both already exist. */
    public static void ensure(Path dir, String hostname) {
        Path cert = certFile(dir, hostname);
        Path key = keyFile(dir, hostname);
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return;
        }
        try {
            PrivateFiles.createDirectories(dir);
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = gen.generateKeyPair();
            X500Name subject = new X500Name("CN=" + hostname);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), subject, kp.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            var holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            var x509 = new JcaX509CertificateConverter().getCertificate(holder);
            writePem(key, new JcaPKCS8Generator(kp.getPrivate(), null).generate());
            writePem(cert, x509);
        } catch (Exception e) {
            throw new TlsConfigurationException("cannot create a self-signed certificate in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** The certificate is public, but both files are written 0600: the directory holds the key. */
    private static void writePem(Path target, Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(text)) {
            pw.writeObject(object);
        }
        PrivateFiles.writeAtomically(target, text.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
