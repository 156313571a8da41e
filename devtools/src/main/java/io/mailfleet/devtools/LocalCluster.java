package io.mailfleet.devtools;

import io.mailfleet.server.cluster.credentials.ClusterCertificates;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The local playground and crash-test rig: N Mailfleet nodes as separate processes on this machine,
 * one PostgreSQL journal and one shared blob directory, all under one base directory. Every fact a
 * later command needs (node count, ports) is kept in {@code <base>/cluster.properties} and every
 * process in a pid file, so {@code kill}, {@code restart} and {@code stop} work from another
 * invocation. Node i gets mail ports at standard + offset + 1000·i, cluster port
 * {@code clusterPort + i}, pekko-management {@code managementPort + i}, management API
 * {@code apiPort + i}; nodes 0 and 1 are the seeds. The nodes share one cluster CA under the base
 * directory, each with its own certificate from it.
 */
public final class LocalCluster {

    /** Where and how the nodes run. */
    public record Layout(int nodes, int portOffset, int clusterPort, int managementPort, int apiPort, int postgresPort) {

        public static Layout defaults(int nodes, int portOffset) {
            return new Layout(nodes, portOffset, 7355, 8558, 8780, 15432);
        }

        public Layout {
            if (nodes < 1 || nodes > 9) {
                throw new IllegalArgumentException("--nodes " + nodes + " is not allowed; use 1..9");
            }
            if (portOffset < 0 || portOffset + 1000 * (nodes - 1) + 4190 > 65535) {
                throw new IllegalArgumentException("port offset " + portOffset + " puts node ports beyond 65535 with "
                        + nodes + " nodes");
            }
        }

        public int smtpPort(int node) {
            return 25 + portOffset + 1000 * node;
        }

        public int imapPort(int node) {
            return 143 + portOffset + 1000 * node;
        }

        public int clusterPort(int node) {
            return clusterPort + node;
        }

        public int managementPort(int node) {
            return managementPort + node;
        }

        public int apiPort(int node) {
            return apiPort + node;
        }
    }

    private static final String RUNNING_LINE = " is running";
    private static final long START_TIMEOUT_SECONDS = 180;

    private final Path base;
    private final Layout layout;
    private final List<String> jvmOptions;
    private final String classPath;
    private final Map<String, String> extraEnv;
    private final Map<Integer, Map<String, String>> nodeEnv;

    /** Nodes on this JVM's class path. */
    public LocalCluster(Path base, Layout layout, List<String> jvmOptions, Map<String, String> extraEnv) {
        this(base, layout, jvmOptions, System.getProperty("java.class.path"), extraEnv, Map.of());
    }

    /**
     * Nodes on {@code classPath}, with {@code nodeEnv} (node index to variables) over {@code extraEnv}
     * for single nodes.
     */
    public LocalCluster(Path base, Layout layout, List<String> jvmOptions, String classPath,
                        Map<String, String> extraEnv, Map<Integer, Map<String, String>> nodeEnv) {
        this.base = base.toAbsolutePath().normalize();
        this.layout = layout;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.classPath = classPath;
        this.extraEnv = Map.copyOf(extraEnv);
        this.nodeEnv = Map.copyOf(nodeEnv);
    }

    /** The cluster a previous {@code start} left under {@code base}. */
    public static LocalCluster existing(Path base, List<String> jvmOptions) throws IOException {
        Path file = base.resolve("cluster.properties");
        if (!Files.isRegularFile(file)) {
            throw new IOException("no local cluster under " + base.toAbsolutePath()
                    + " (start one with ./mailfleet cluster local start)");
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        }
        Layout l = new Layout(Integer.parseInt(p.getProperty("nodes")), Integer.parseInt(p.getProperty("port-offset")),
                Integer.parseInt(p.getProperty("cluster-port")), Integer.parseInt(p.getProperty("management-port")),
                Integer.parseInt(p.getProperty("api-port")), Integer.parseInt(p.getProperty("postgres-port")));
        return new LocalCluster(base, l, jvmOptions, Map.of());
    }

    public Layout layout() {
        return layout;
    }

    public Path base() {
        return base;
    }

    public LocalPostgres postgres() {
        return new LocalPostgres(base.resolve("postgres"), layout.postgresPort());
    }

    /** The management API token every node of the playground shares (so the CLI can use any node). */
    public String apiToken() throws IOException {
        Path file = base.resolve("api-token");
        if (!Files.isRegularFile(file)) {
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            io.mailfleet.core.files.PrivateFiles.writeAtomically(file, HexFormat.of().formatHex(b) + "\n");
        }
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }

    /** Starts PostgreSQL and every node not yet running, all nodes at once; returns once all run. */
    public void start(Optional<String[]> firstAccount) throws IOException, InterruptedException {
        Files.createDirectories(base);
        saveLayout();
        LocalPostgres pg = postgres();
        if (!pg.running()) {
            pg.start();
        }
        List<Integer> started = new ArrayList<>();
        for (int i = 0; i < layout.nodes(); i++) {
            if (pid(i).isEmpty()) {
                launch(i, i == 0 ? firstAccount : Optional.empty());
                started.add(i);
            }
        }
        for (int i : started) {
            awaitRunning(i);
        }
    }

    /** SIGKILL of node i: no shutdown hook, no leaving, exactly like a crash. */
    public void kill(int node) throws IOException, InterruptedException {
        checkNode(node);
        Optional<ProcessHandle> p = pid(node);
        if (p.isEmpty()) {
            throw new IOException("node " + node + " is not running");
        }
        p.get().destroyForcibly();
        awaitExit(p.get());
        Files.deleteIfExists(pidFile(node));
    }

    /** Stops node i gracefully when it runs (SIGTERM, it leaves the cluster) and starts it again. */
    public void restart(int node) throws IOException, InterruptedException {
        stop(node);
        start(node);
    }

    /**
     * Stops node i gracefully (SIGTERM: mail listeners close, the node leaves the cluster and its shards
     * hand over) and returns once the process has exited; nothing happens when it does not run.
     */
    public void stop(int node) throws IOException, InterruptedException {
        checkNode(node);
        terminate(node);
    }

    /** Starts node i when it does not run (the cluster and PostgreSQL must be up); returns once it runs. */
    public void start(int node) throws IOException, InterruptedException {
        checkNode(node);
        if (pid(node).isEmpty()) {
            launch(node, Optional.empty());
        }
        awaitRunning(node);
    }

    /** Gracefully stops every node (one after the other, so shards hand over), then PostgreSQL. */
    public void stop() throws IOException, InterruptedException {
        for (int i = layout.nodes() - 1; i >= 0; i--) {
            terminate(i);
        }
        postgres().stop();
    }

    /** The live process of node i, if its pid file names one that is still that node. */
    public Optional<ProcessHandle> pid(int node) throws IOException {
        Path file = pidFile(node);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return liveProcess(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /** What a pid file holds for {@code p}: its pid and its start time, which together still name it once the pid is reused. */
    static String pidFileLine(ProcessHandle p) {
        return p.pid() + " " + p.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) + "\n";
    }

    /**
     * The live process a pid file names, unless that pid now belongs to a process started at another
     * time. (Not judged by the command line: the JDK reads only its first 4096 bytes, and a node's
     * starts with a class path longer than that. Files written before the start time was recorded
     * still use it.)
     */
    static Optional<ProcessHandle> liveProcess(String pidFileContent) {
        String[] fields = pidFileContent.trim().split("\\s+");
        long pid;
        long startMillis;
        try {
            pid = Long.parseLong(fields[0]);
            startMillis = fields.length > 1 ? Long.parseLong(fields[1]) : -1;
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> alive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (startMillis < 0) {
            return alive.filter(h -> h.info().commandLine()
                    .map(c -> c.contains("io.mailfleet.cli.Main") || c.contains("mailfleet")).orElse(true));
        }
        return alive.filter(h -> h.info().startInstant().map(t -> t.toEpochMilli() == startMillis).orElse(true));
    }

    public Path logFile(int node) {
        return base.resolve("node-" + node + ".log");
    }

    private Path pidFile(int node) {
        return base.resolve("node-" + node + ".pid");
    }

    private void checkNode(int node) {
        if (node < 0 || node >= layout.nodes()) {
            throw new IllegalArgumentException("node " + node + " does not exist; this cluster has nodes 0.."
                    + (layout.nodes() - 1));
        }
    }

    private void terminate(int node) throws IOException, InterruptedException {
        Optional<ProcessHandle> p = pid(node);
        if (p.isPresent()) {
            p.get().destroy();
            try {
                p.get().onExit().get(90, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                p.get().destroyForcibly();
                awaitExit(p.get());
            }
        }
        Files.deleteIfExists(pidFile(node));
    }

    /**
     * The environment of node i; everything else comes from the caller's environment. The extra
     * variables given at construction win (those for node i over those for all), so a caller can
     * e.g. replace the seed nodes by discovery.
     */
    public Map<String, String> env(int node) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MAILFLEET_DATA", base.resolve("node-" + node).toString());
        env.put("MAILFLEET_PORT_OFFSET", Integer.toString(layout.portOffset() + 1000 * node));
        env.put("MAILFLEET_CLUSTER_HOST", "127.0.0.1");
        env.put("MAILFLEET_CLUSTER_PORT", Integer.toString(layout.clusterPort(node)));
        env.put("MAILFLEET_CLUSTER_MANAGEMENT_PORT", Integer.toString(layout.managementPort(node)));
        env.put("MAILFLEET_MANAGEMENT_PORT", Integer.toString(layout.apiPort(node)));
        env.put("MAILFLEET_API_TOKEN", apiToken());
        List<String> seeds = new ArrayList<>();
        for (int s = 0; s < Math.min(2, layout.nodes()); s++) {
            seeds.add("127.0.0.1:" + layout.clusterPort(s));
        }
        env.put("MAILFLEET_SEED_NODES", layout.nodes() == 1 ? "" : String.join(",", seeds));
        env.put("MAILFLEET_CLUSTER_DISCOVERY", "static");
        env.put("MAILFLEET_JOURNAL", "postgres");
        env.put("MAILFLEET_POSTGRES_URL", postgres().jdbcUrl());
        env.put("MAILFLEET_POSTGRES_USER", LocalPostgres.USER);
        env.put("MAILFLEET_BLOBS", "shared-file");
        env.put("MAILFLEET_SHARED_BLOB_DIR", base.resolve("blobs").toString());
        env.put("MAILFLEET_BLOB_NODE_SLOT", Integer.toString(node));
        env.put("MAILFLEET_CLUSTER_CREDENTIALS_DIR", credentials(node).toString());
        // a playground: TLS off and no stop for want of an account, unless the caller's environment chose
        if (!System.getenv().containsKey("SSL_TYPE")) {
            env.put("SSL_TYPE", "");
        }
        if (!System.getenv().containsKey("MAILFLEET_NO_ACCOUNT_WAIT")) {
            env.put("MAILFLEET_NO_ACCOUNT_WAIT", "forever");
        }
        env.putAll(extraEnv);
        env.putAll(nodeEnv.getOrDefault(node, Map.of()));
        return env;
    }

    /**
     * Node i's cluster credentials, issued from the one CA of this playground ({@code <base>/cluster-ca})
     * the first time they are needed: the nodes can only form a cluster when they share it.
     */
    private Path credentials(int node) throws IOException {
        Path ca = base.resolve("cluster-ca");
        if (!Files.isRegularFile(ca.resolve("ca.crt"))) {
            ClusterCertificates.createCa(ca, ClusterCertificates.DEFAULT_VALIDITY);
        }
        Path dir = base.resolve("node-" + node + "-tls");
        if (!Files.isRegularFile(dir.resolve("tls.crt"))) {
            ClusterCertificates.issue(ca, "node-" + node, ClusterCertificates.DEFAULT_VALIDITY, dir);
        }
        return dir;
    }

    private void launch(int node, Optional<String[]> firstAccount) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, "io.mailfleet.cli.Main", "serve",
                "--data", base.resolve("node-" + node).toString()));
        firstAccount.ifPresent(a -> cmd.addAll(List.of("--create-account", a[0], "--password", a[1])));
        Files.deleteIfExists(logFile(node));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(node).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env(node));
        Process p = pb.start();
        Files.writeString(pidFile(node), pidFileLine(p.toHandle()), StandardCharsets.US_ASCII);
    }

    private void awaitRunning(int node) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            String log = Files.isRegularFile(logFile(node)) ? Files.readString(logFile(node), StandardCharsets.UTF_8) : "";
            if (log.lines().anyMatch(l -> l.startsWith("mailfleet node ") && l.contains(RUNNING_LINE))) {
                return;
            }
            if (pid(node).isEmpty()) {
                throw new IOException("node " + node + " exited during start-up; its log " + logFile(node) + " ends:\n"
                        + tail(log));
            }
            Thread.sleep(200);
        }
        throw new IOException("node " + node + " not running after " + START_TIMEOUT_SECONDS + " s; see " + logFile(node));
    }

    private static void awaitExit(ProcessHandle p) throws IOException, InterruptedException {
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new IOException("process " + p.pid() + " did not exit after SIGKILL");
        }
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    private void saveLayout() throws IOException {
        Properties p = new Properties();
        p.setProperty("nodes", Integer.toString(layout.nodes()));
        p.setProperty("port-offset", Integer.toString(layout.portOffset()));
        p.setProperty("cluster-port", Integer.toString(layout.clusterPort));
        p.setProperty("management-port", Integer.toString(layout.managementPort));
        p.setProperty("api-port", Integer.toString(layout.apiPort));
        p.setProperty("postgres-port", Integer.toString(layout.postgresPort()));
        try (var out = Files.newOutputStream(base.resolve("cluster.properties"))) {
            p.store(out, "mailfleet cluster local");
        }
    }
}
