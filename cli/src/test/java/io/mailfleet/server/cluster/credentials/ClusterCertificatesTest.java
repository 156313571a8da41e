package io.mailfleet.server.cluster.credentials;

import io.mailfleet.cli.CliRun;
import io.mailfleet.cli.cluster.CredentialsCommand;
import io.mailfleet.server.config.ClusterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterCertificatesTest {

    @TempDir
    Path tmp;

    @Test
    void initAndIssueMakePrivateFilesAndACertificateSignedByTheCa() throws Exception {
        Path ca = tmp.resolve("ca");
        Path node = tmp.resolve("node-a");
        assertEquals(0, run("init", ca.toString()).code());
        CliRun issued = run("issue", "--ca", ca.toString(), "--node", "node-a", "--days", "30", node.toString());
        assertEquals(0, issued.code(), issued.err());
        assertTrue(issued.out().contains("MAILFLEET_CLUSTER_CREDENTIALS_DIR=" + node.toAbsolutePath()), issued.out());

        for (Path dir : List.of(ca, node)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
                }
            }
        }
        CredentialFiles nodeFiles = new CredentialFiles(node);
        assertEquals(List.of(), nodeFiles.missingNodeFiles());
        X509Certificate caCert = ClusterCertificates.readCertificate(ca.resolve("ca.crt"));
        X509Certificate cert = ClusterCertificates.readCertificate(nodeFiles.nodeCert());
        cert.verify(caCert.getPublicKey());
        assertTrue(cert.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals(CredentialFiles.CLUSTER_NAME)));
        assertEquals("CN=node-a", cert.getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
        ClusterCredentials.check(nodeFiles);
    }

    @Test
    void existingCredentialsAreNeverOverwritten() throws Exception {
        Path ca = tmp.resolve("ca");
        assertEquals(0, run("init", ca.toString()).code());
        byte[] key = Files.readAllBytes(ca.resolve("ca.key"));
        CliRun again = run("init", ca.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already exists"), again.err());
        assertThrows(FileAlreadyExistsException.class, () -> ClusterCertificates.createCa(ca, ClusterCertificates.DEFAULT_VALIDITY));
        assertEquals(new String(key, StandardCharsets.US_ASCII), Files.readString(ca.resolve("ca.key")));
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run().code());
        assertEquals(0, run("--help").code());
        assertEquals(2, run("issue", tmp.resolve("out").toString()).code());
        assertEquals(2, run("issue", "--ca", tmp.toString(), "--days", "0", tmp.resolve("out").toString()).code());
        assertEquals(2, run("rotate").code());
        CliRun noCa = run("issue", "--ca", tmp.resolve("nothing").toString(), tmp.resolve("out").toString());
        assertEquals(1, noCa.code());
        assertTrue(noCa.err().contains("holds no cluster CA"), noCa.err());
    }

    @Test
    void aSingleNodeMakesItsOwnCaOnceAndKeepsItOnRestart() throws Exception {
        Path dir = tmp.resolve("data/cluster-tls");
        ClusterSettings settings = new ClusterSettings("127.0.0.1", 7355, List.of(), 8558, dir, false);
        ClusterCredentials.prepare(settings);
        byte[] ca = Files.readAllBytes(dir.resolve("ca.crt"));
        ClusterCredentials.prepare(settings);
        assertEquals(new String(ca, StandardCharsets.US_ASCII), Files.readString(dir.resolve("ca.crt")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        // a start interrupted after the CA was made: the next start issues the node files from that CA
        Files.delete(dir.resolve("tls.key"));
        Files.delete(dir.resolve("tls.crt"));
        ClusterCredentials.prepare(settings);
        assertEquals(new String(ca, StandardCharsets.US_ASCII), Files.readString(dir.resolve("ca.crt")));
        ClusterCertificates.readCertificate(dir.resolve("tls.crt"))
                .verify(ClusterCertificates.readCertificate(dir.resolve("ca.crt")).getPublicKey());
        // the same directory is a CA from which further nodes' credentials can be issued
        assertEquals(0, run("issue", "--ca", dir.toString(), tmp.resolve("second").toString()).code());
    }

    @Test
    void anOperatorDirectoryIsNeverFilledInAndAForeignCertificateIsRefused() throws Exception {
        Path given = tmp.resolve("given");
        IllegalStateException missing = assertThrows(IllegalStateException.class, () ->
                ClusterCredentials.prepare(new ClusterSettings("127.0.0.1", 7355, List.of(), 8558, given, true)));
        assertTrue(missing.getMessage().contains("mailfleet.cluster.credentials-dir") && missing.getMessage().contains("missing"),
                missing.getMessage());
        assertTrue(Files.notExists(given.resolve("ca.crt")));

        // node credentials of CA 1 with the ca.crt of CA 2: start-up must say so
        assertEquals(0, run("init", tmp.resolve("ca1").toString()).code());
        assertEquals(0, run("init", tmp.resolve("ca2").toString()).code());
        assertEquals(0, run("issue", "--ca", tmp.resolve("ca1").toString(), given.toString()).code());
        Files.delete(given.resolve("ca.crt"));
        Files.copy(tmp.resolve("ca2/ca.crt"), given.resolve("ca.crt"));
        IllegalStateException foreign = assertThrows(IllegalStateException.class, () ->
                ClusterCredentials.prepare(new ClusterSettings("127.0.0.1", 7355, List.of(), 8558, given, true)));
        assertTrue(foreign.getMessage().contains("is not signed by the cluster CA"), foreign.getMessage());
        assertThrows(SignatureException.class, () -> ClusterCertificates.readCertificate(given.resolve("tls.crt"))
                .verify(ClusterCertificates.readCertificate(given.resolve("ca.crt")).getPublicKey()));
    }

    private static CliRun run(String... args) {
        return CliRun.capture((out, err) -> CredentialsCommand.run(args, out, err));
    }
}
