package io.mailfleet.server.cluster.credentials;

import io.mailfleet.core.files.PrivateFiles;
import io.mailfleet.server.config.ClusterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

/**
 * Start-up step before the ActorSystem exists: makes sure this node has cluster credentials. A node
 * using the default directory under its data directory creates its own private CA and node
 * certificate there at first start, so nothing without a certificate from that CA can join it; an
 * operator-given directory must already hold the files. Either way the files are checked, so a
 * mistake stops start-up with a message instead of surfacing later as refused TLS handshakes.
 */
public final class ClusterCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterCredentials.class);
    static final String KEY = "mailfleet.cluster.credentials-dir";

    private ClusterCredentials() {
    }

    /** Creates (default directory only, when empty) and checks the credentials; throws with a message naming the key. */
    public static void prepare(ClusterSettings cluster) {
        CredentialFiles files = new CredentialFiles(cluster.credentialsDir());
        try {
            if (!cluster.credentialsConfigured()) {
                createOwn(files, cluster);
            }
            check(files);
        } catch (IOException e) {
            throw new IllegalStateException("cluster credentials (" + KEY + ", env MAILFLEET_CLUSTER_CREDENTIALS_DIR = "
                    + files.dir() + "): " + e.getMessage(), e);
        }
    }

    /**
     * The default directory: a new private CA and a certificate from it when empty; only the node
     * files when a start was interrupted after the CA was made (or an operator removed them to renew).
     */
    private static void createOwn(CredentialFiles files, ClusterSettings cluster) throws IOException {
        boolean empty = files.empty();
        if (empty) {
            ClusterCertificates.createCa(files.dir(), ClusterCertificates.DEFAULT_VALIDITY);
        }
        boolean caOnly = Files.isRegularFile(files.caKey()) && Files.notExists(files.nodeKey())
                && Files.notExists(files.nodeCert());
        if (!caOnly) {
            return;
        }
        ClusterCertificates.issue(files.dir(), CredentialFiles.CLUSTER_NAME, ClusterCertificates.DEFAULT_VALIDITY, files.dir());
        if (!empty) {
            LOG.info("issued this node a new certificate from its own cluster CA in {}", files.dir());
        } else if (cluster.seedNodes().isEmpty()) {
            LOG.info("created this node's own cluster credentials (a private cluster CA and a node certificate) in {}: "
                    + "only nodes with a certificate from this CA can join it (docs/cluster.md, \"Cluster credentials\")",
                    files.dir());
        } else {
            LOG.warn("created this node's own cluster credentials in {} although it has seed nodes {}: it can only join "
                    + "nodes that trust this new CA, and others only join it with certificates issued from it. For a cluster, "
                    + "make one CA and give every node credentials from it (MAILFLEET_CLUSTER_CREDENTIALS_DIR, "
                    + "docs/cluster.md, \"Cluster credentials\")", files.dir(), cluster.seedNodes());
        }
    }

    /** Throws when a node file is missing or unreadable, the certificate is not from the CA, expired, or not the key's. */
    static void check(CredentialFiles files) throws IOException {
        List<Path> missing = files.missingNodeFiles();
        if (!missing.isEmpty()) {
            throw new IOException("missing " + missing + "; make them with ./mailfleet cluster credentials issue "
                    + "(docs/cluster.md, \"Cluster credentials\")");
        }
        X509Certificate ca = ClusterCertificates.readCertificate(files.caCert());
        X509Certificate cert = ClusterCertificates.readCertificate(files.nodeCert());
        PrivateKey key = ClusterCertificates.readPrivateKey(files.nodeKey());
        try {
            cert.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IOException(files.nodeCert() + " is not signed by the cluster CA in " + files.caCert());
        }
        try {
            cert.checkValidity();
            ca.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new IOException("the node or CA certificate is not valid now: " + e.getMessage());
        }
        if (!(key instanceof RSAPrivateCrtKey rsa) || !(cert.getPublicKey() instanceof RSAPublicKey pub)
                || !rsa.getModulus().equals(pub.getModulus())) {
            throw new IOException(files.nodeKey() + " is not an RSA key matching " + files.nodeCert()
                    + " (Pekko's cluster TLS reads RSA keys only)");
        }
        if (PrivateFiles.isOpen(files.nodeKey())) {
            LOG.warn("{} is open to other users of this host; make it 0600 (a Kubernetes secret: defaultMode 0400)",
                    files.nodeKey());
        }
        if (Files.exists(files.caKey()) && PrivateFiles.isOpen(files.caKey())) {
            LOG.warn("{} is open to other users of this host; make it 0600", files.caKey());
        }
        LOG.info("cluster transport: TLS with mutual authentication, peers must hold a certificate from the CA {} ({})",
                ca.getSubjectX500Principal().getName(), files.caCert());
    }
}
