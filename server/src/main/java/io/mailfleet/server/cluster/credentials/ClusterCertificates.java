package io.mailfleet.server.cluster.credentials;

import io.mailfleet.core.files.PrivateFiles;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * Makes a private cluster CA and node certificates it signs. RSA, because Pekko's PEM reader
 * (pekko-pki, used by RotatingKeysSSLEngineProvider) reads only RSA keys; node certificates are
 * signed directly by the root CA, which that provider also requires.
 */
public final class ClusterCertificates {

    /** Default life of a CA and of a node certificate. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);
    private static final int RSA_BITS = 3072;
    private static final String SIGNATURE = "SHA256withRSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterCertificates() {
    }

    /** Creates {@code ca.key} and {@code ca.crt} in {@code dir}; refuses to overwrite existing ones. */
    public static X509Certificate createCa(Path dir, Duration validity) throws IOException {
        CredentialFiles files = new CredentialFiles(dir);
        requireAbsent(files.caKey());
        requireAbsent(files.caCert());
        PrivateFiles.createDirectories(dir);
        try {
            KeyPair kp = rsaKeyPair();
            // a random name: two CAs made by the same command never look alike in logs
            X500Name name = new X500Name("CN=Mailfleet cluster CA " + HexFormat.of().formatHex(serial().toByteArray(), 0, 4));
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), name, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate ca = sign(b, kp.getPrivate());
            PrivateFiles.writeAtomically(files.caKey(), pem(new JcaPKCS8Generator(kp.getPrivate(), null).generate()));
            PrivateFiles.writeAtomically(files.caCert(), pem(ca));
            return ca;
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException("cannot create a cluster CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Issues a certificate for node {@code nodeName} from the CA in {@code caDir} and writes
     * {@code tls.key}, {@code tls.crt} and a copy of {@code ca.crt} into {@code outDir} (which may be
     * the CA directory itself). Refuses to overwrite an existing node key or certificate.
     */
    public static X509Certificate issue(Path caDir, String nodeName, Duration validity, Path outDir) throws IOException {
        CredentialFiles ca = new CredentialFiles(caDir);
        CredentialFiles out = new CredentialFiles(outDir);
        if (!Files.isRegularFile(ca.caKey()) || !Files.isRegularFile(ca.caCert())) {
            throw new IOException(caDir + " holds no cluster CA (ca.key and ca.crt); create one with "
                    + "./mailfleet cluster credentials init " + caDir);
        }
        requireAbsent(out.nodeKey());
        requireAbsent(out.nodeCert());
        boolean sameCa = Files.exists(out.caCert()) && Files.isSameFile(out.caCert(), ca.caCert());
        if (!sameCa) {
            requireAbsent(out.caCert());
        }
        X509Certificate caCert = readCertificate(ca.caCert());
        PrivateKey caKey = readPrivateKey(ca.caKey());
        PrivateFiles.createDirectories(outDir);
        try {
            KeyPair kp = rsaKeyPair();
            Instant now = Instant.now();
            Instant notAfter = now.plus(validity);
            if (notAfter.isAfter(caCert.getNotAfter().toInstant())) {
                notAfter = caCert.getNotAfter().toInstant();
            }
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(notAfter),
                    new X500Name("CN=" + nodeName), kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.dNSName, CredentialFiles.CLUSTER_NAME));
            if (!nodeName.equals(CredentialFiles.CLUSTER_NAME)) {
                names.add(new GeneralName(GeneralName.dNSName, nodeName));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            // every node is TLS server for inbound and TLS client for outbound connections
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate cert = sign(b, caKey);
            PrivateFiles.writeAtomically(out.nodeKey(), pem(new JcaPKCS8Generator(kp.getPrivate(), null).generate()));
            PrivateFiles.writeAtomically(out.nodeCert(), pem(cert));
            if (!sameCa) {
                PrivateFiles.writeAtomically(out.caCert(), Files.readAllBytes(ca.caCert()));
            }
            return cert;
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException("cannot issue a node certificate from " + caDir + ": " + e.getMessage(), e);
        }
    }

    /** The first certificate of a PEM file. */
    public static X509Certificate readCertificate(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** A PKCS#8 or PKCS#1 PEM private key. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try (PEMParser p = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return conv.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return conv.getKeyPair(pair).getPrivate();
            }
            throw new IOException(file + " holds no unencrypted PEM private key");
        }
    }

    private static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(RSA_BITS, RANDOM);
        return gen.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    }

    private static byte[] pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Refuses to overwrite: credentials already made are never silently replaced. */
    private static void requireAbsent(Path file) throws IOException {
        if (Files.exists(file)) {
            throw new java.nio.file.FileAlreadyExistsException(file
                    + " already exists; remove it first if it really is to be replaced");
        }
    }
}
