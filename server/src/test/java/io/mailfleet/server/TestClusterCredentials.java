package io.mailfleet.server;

import io.mailfleet.core.files.PrivateFiles;
import io.mailfleet.server.cluster.credentials.ClusterCredentials;
import io.mailfleet.server.config.ClusterSettings;
import io.mailfleet.server.config.MailfleetConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A node's own cluster credentials (private CA and node certificate), made once per test JVM by the
 * production start-up step and copied into each test node's default credentials directory before it
 * starts. A first start otherwise makes two RSA-3072 keys, a second or more of CPU per in-JVM server
 * and ten or more in a C1-only child JVM on a loaded two-core machine, while what the tests prove is
 * what the node does with its credentials. The creation itself is proven where it is the subject
 * (ClusterCertificatesTest, PrivateFilesUnderUmaskTest), and those do not use this.
 */
public final class TestClusterCredentials {

    private static Path template;

    private TestClusterCredentials() {
    }

    /**
     * Gives the node {@code env} describes a copy of the shared credentials in its default directory,
     * unless it names its own directory or its default one already holds files (a restart).
     */
    public static void provision(Map<String, String> env) {
        provision(MailfleetConfig.load(null, env).settings().cluster());
    }

    /** {@link #provision(Map)} for settings already loaded. */
    public static void provision(ClusterSettings cluster) {
        if (cluster.credentialsConfigured()) {
            return;
        }
        Path dir = cluster.credentialsDir();
        try {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    if (files.findAny().isPresent()) {
                        return;
                    }
                }
            }
            Path source = template();
            PrivateFiles.createDirectories(dir);
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the test cluster credentials to " + dir, e);
        }
    }

    private static synchronized Path template() throws IOException {
        if (template == null) {
            Path data = Files.createTempDirectory("mailfleet-test-credentials");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(data), "test-credentials-cleanup"));
            ClusterSettings cluster = MailfleetConfig.load(null, Map.of("MAILFLEET_DATA", data.toString()))
                    .settings().cluster();
            ClusterCredentials.prepare(cluster);
            template = cluster.credentialsDir();
            List<Path> made;
            try (Stream<Path> files = Files.list(template)) {
                made = files.toList();
            }
            if (made.isEmpty()) {
                throw new IOException("the start-up step made no credentials in " + template);
            }
        }
        return template;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
