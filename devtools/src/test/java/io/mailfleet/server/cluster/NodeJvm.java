package io.mailfleet.server.cluster;

import io.mailfleet.server.TestClusterCredentials;
import io.mailfleet.server.TestServers;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * How these tests start node processes: the small, quick JVM of {@link ClusterRig#NODE_JVM}, plus a
 * class-data-sharing archive of what a node loads, recorded once per test JVM by a training node.
 * With it a node starts in a little over half the CPU time (2.6 s instead of 4.5 s measured on the
 * 2-core machine), and these tests start some thirty nodes, often three at once. The archive changes
 * no behaviour: the same classes from the same jars, only loaded and verified once. CDS accepts a
 * class path of jars only, so the test's class directories are packed into jars first. Without an
 * archive (the training node failed) nodes start as before, and the reason is printed.
 */
final class NodeJvm {

    private static final long TRAINING_SECONDS = 180;
    private static NodeJvm current;

    private final String classPath;
    private final List<String> options;

    private NodeJvm(String classPath, List<String> options) {
        this.classPath = classPath;
        this.options = List.copyOf(options);
    }

    /** The node JVM of this test JVM; the first call packs the class path and records the archive. */
    static synchronized NodeJvm get() {
        if (current == null) {
            current = make();
        }
        return current;
    }

    /** JVM options of a node: {@link ClusterRig#NODE_JVM} and, when recorded, the archive. */
    List<String> options() {
        return options;
    }

    /** The class path of a node: this JVM's, every directory in it replaced by a jar of its content. */
    String classPath() {
        return classPath;
    }

    /** {@code java <options> -cp <class path> io.mailfleet.cli.Main <args>}. */
    List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", classPath, "io.mailfleet.cli.Main"));
        cmd.addAll(args);
        return cmd;
    }

    private static NodeJvm make() {
        String original = System.getProperty("java.class.path");
        Path dir;
        String jars;
        try {
            dir = Files.createTempDirectory("mailfleet-node-jvm");
            dir.toFile().deleteOnExit();
            jars = jarsOnly(original, dir);
        } catch (IOException e) {
            System.out.println("node JVM: class path not packed, nodes start without a class-data archive: " + e);
            return new NodeJvm(original, ClusterRig.NODE_JVM);
        }
        Path archive = dir.resolve("node.jsa");
        long started = System.nanoTime();
        try {
            train(jars, dir, archive);
        } catch (Exception e) {
            System.out.println("node JVM: no class-data archive, nodes start without one: " + e);
            return new NodeJvm(jars, ClusterRig.NODE_JVM);
        }
        archive.toFile().deleteOnExit();
        System.out.printf("node JVM: class-data archive of a node recorded in %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        List<String> options = new ArrayList<>(ClusterRig.NODE_JVM);
        // -Xshare:auto (implied): a JVM that cannot map the archive starts without it
        options.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        return new NodeJvm(jars, options);
    }

    /** A node alone, started until it runs and stopped with SIGTERM: at its exit the JVM writes the archive. */
    private static void train(String classPath, Path dir, Path archive) throws Exception {
        Path data = dir.resolve("training-node");
        Map<String, String> env = TestServers.env(data, Map.of("MAILFLEET_CLUSTER_HOST", "127.0.0.1",
                "MAILFLEET_SEED_NODES", "", "LOG_LEVEL", "warn"));
        TestClusterCredentials.provision(env);
        Path part = dir.resolve("node.jsa.part");
        Path log = dir.resolve("training-node.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ClusterRig.NODE_JVM);
        cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + part, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-cp", classPath, "io.mailfleet.cli.Main", "serve", "--data", data.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process node = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TRAINING_SECONDS);
            while (!Files.readString(log, StandardCharsets.UTF_8).contains(" is running")) {
                if (!node.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("the training node did not run; its output ends: " + tail(log));
                }
                Thread.sleep(100);
            }
            node.destroy();
            if (!node.waitFor(TRAINING_SECONDS, TimeUnit.SECONDS) || !Files.isRegularFile(part)) {
                throw new IOException("the training node wrote no archive; its output ends: " + tail(log));
            }
            Files.move(part, archive);
        } finally {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
            ClusterRig.deleteTree(data);
            Files.deleteIfExists(part);
            Files.deleteIfExists(log);
        }
    }

    /** {@code classPath} with every directory packed into a jar under {@code dir}, in the same order. */
    private static String jarsOnly(String classPath, Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                Path jar = dir.resolve("classes-" + n++ + ".jar");
                pack(p, jar);
                jar.toFile().deleteOnExit();
                entries.add(jar.toString());
            } else if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void pack(Path root, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(root.relativize(f).toString().replace(File.separatorChar, '/')));
                try (InputStream in = Files.newInputStream(f)) {
                    in.transferTo(j);
                }
                j.closeEntry();
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
