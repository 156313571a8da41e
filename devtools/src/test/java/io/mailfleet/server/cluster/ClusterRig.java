package io.mailfleet.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailfleet.devtools.LocalCluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the multi-process cluster tests share: a port layout free now and never handed out twice in
 * this JVM (the classes run two at a time), the clusters' node JVM and test-only timings, and clean-up.
 */
public final class ClusterRig {

    /**
     * Every port a layout of this JVM handed out. A port is free when probed and bound by a node only
     * seconds later: without this, tests running at the same time could be given the same one.
     */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterRig() {
    }

    /**
     * A layout for {@code nodes} whose PostgreSQL, cluster, management and API ports, and the mail
     * ports {@code mailPorts} names, are all free now. Everything lies below Linux's ephemeral range
     * (32768 on), where the client sockets of other load on the same machine come from. With
     * {@code mailPorts} null the mail port offset is 0 (for tests that switch the mail ports off).
     */
    public static synchronized LocalCluster.Layout freeLayout(int nodes,
                                                              Function<LocalCluster.Layout, Collection<Integer>> mailPorts)
            throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            int offset = mailPorts == null ? 0 : 20000 + r.nextInt(40) * 100;
            int base = 27000 + r.nextInt(100) * 40;
            LocalCluster.Layout l = new LocalCluster.Layout(nodes, offset, base, base + 10, base + 20, base + 30);
            List<Integer> ports = new ArrayList<>(List.of(l.postgresPort()));
            for (int i = 0; i < nodes; i++) {
                ports.addAll(List.of(l.clusterPort(i), l.managementPort(i), l.apiPort(i)));
            }
            if (mailPorts != null) {
                ports.addAll(mailPorts.apply(l));
            }
            // mail ports move with the offset and could land on a cluster port of this very layout
            if (new HashSet<>(ports).size() == ports.size()
                    && ports.stream().noneMatch(HANDED_OUT::contains) && ports.stream().allMatch(ClusterRig::free)) {
                HANDED_OUT.addAll(ports);
                return l;
            }
        }
        throw new IOException("no free set of ports found for a " + nodes + "-node cluster");
    }

    /** The SMTP and IMAP ports of every node: what most cluster tests connect to. */
    public static Collection<Integer> smtpAndImap(LocalCluster.Layout l) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < l.nodes(); i++) {
            ports.add(l.smtpPort(i));
            ports.add(l.imapPort(i));
        }
        return ports;
    }

    /**
     * What a node other than node 0 adds to a test's configuration: it asks the seeds again 1 s after an
     * InitJoin nobody acknowledged, not Pekko's 5 s, so nodes started together join as soon as node 0
     * has formed the cluster instead of 5 s later. Node 0, the first seed, keeps Pekko's 5 s: when the
     * whole cluster starts, it is how long the other seed has to answer before node 0 forms the cluster
     * alone. (Restarted while the others run, node 0 does not count on those 5 s: it sees the running
     * members in PostgreSQL and never names itself as a seed; see restartFirstSeedWhileOthersFrozen.)
     */
    static final String JOINING_NODE = "pekko.cluster.seed-node-timeout = 1s\n";

    /**
     * The cluster of a test under {@code base} (its directory {@code base/cluster}): every node gets
     * {@code env} and reads {@code hocon} (a configuration file, may be empty) through
     * MAILFLEET_CONFIG, the nodes after node 0 with {@link #JOINING_NODE} added.
     */
    public static LocalCluster cluster(Path base, LocalCluster.Layout layout, Map<String, String> env, String hocon)
            throws IOException {
        Path first = Files.writeString(base.resolve("node-0.conf"), hocon + "\n");
        Path joining = Files.writeString(base.resolve("joining-node.conf"), hocon + "\n" + JOINING_NODE);
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("MAILFLEET_CONFIG", first.toString());
        Map<Integer, Map<String, String>> perNode = new HashMap<>();
        for (int i = 1; i < layout.nodes(); i++) {
            perNode.put(i, Map.of("MAILFLEET_CONFIG", joining.toString()));
        }
        NodeJvm jvm = NodeJvm.get();
        return new LocalCluster(base.resolve("cluster"), layout, jvm.options(), jvm.classPath(), all, perNode);
    }

    /** JVM options of a node process in these tests: small and quick to start on a 2-core machine. */
    public static final List<String> NODE_JVM = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** A fresh directory under /tmp for a cluster, readable by PostgreSQL (which runs as nobody when the build runs as root). */
    public static Path baseDirectory(String prefix) throws IOException {
        Path base = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        return base;
    }

    /**
     * Restarts node 0, the first seed, while every other node is frozen (SIGSTOP: a long GC pause, an
     * overloaded host): Pekko alone would have it form a new cluster once the other seeds stayed silent
     * for its seed-node-timeout (5 s), a second cluster on the same journal. The others are thawed
     * {@code frozenMillis} after node 0 began to join, which must be longer than that timeout; returns
     * the Up members every node sees afterwards (all of them when node 0 joined the running cluster).
     */
    public static List<Set<String>> restartFirstSeedWhileOthersFrozen(LocalCluster cluster, long frozenMillis)
            throws Exception {
        int nodes = cluster.layout().nodes();
        cluster.stop(0);
        List<Long> frozen = new ArrayList<>();
        try {
            for (int i = 1; i < nodes; i++) {
                long pid = cluster.pid(i).orElseThrow().pid();
                signal("STOP", pid);
                frozen.add(pid);
            }
            CompletableFuture<Void> thaw = CompletableFuture.runAsync(() -> {
                try {
                    awaitLog(cluster.logFile(0), "joining the cluster through seed nodes");
                    Thread.sleep(frozenMillis);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    frozen.forEach(pid -> signal("CONT", pid));
                }
            });
            cluster.start(0);
            thaw.get(120, TimeUnit.SECONDS);
        } finally {
            frozen.forEach(pid -> signal("CONT", pid));
        }
        List<Set<String>> views = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            views.add(awaitUpMembers(cluster.layout().managementPort(i), nodes));
        }
        return views;
    }

    /** Every node's cluster address, as /cluster/members names it. */
    public static Set<String> addresses(LocalCluster.Layout layout) {
        Set<String> all = new TreeSet<>();
        for (int i = 0; i < layout.nodes(); i++) {
            all.add("pekko://mailfleet@127.0.0.1:" + layout.clusterPort(i));
        }
        return all;
    }

    /** The Up members a node's /cluster/members lists, once there are {@code count} of them or after 60 s. */
    private static Set<String> awaitUpMembers(int managementPort, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Set<String> up = new TreeSet<>();
        while (System.nanoTime() < deadline) {
            try {
                up = upMembers(members(managementPort));
                if (up.size() >= count) {
                    return up;
                }
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(250);
        }
        return up;
    }

    /** A node's pekko-management {@code /cluster/members} answer. */
    public static JsonNode members(int managementPort) throws IOException {
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/cluster/members"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            throw new IOException("/cluster/members on " + managementPort + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** The addresses of the members with status Up in a {@code /cluster/members} answer. */
    public static TreeSet<String> upMembers(JsonNode members) {
        TreeSet<String> up = new TreeSet<>();
        for (JsonNode m : members.path("members")) {
            if ("Up".equals(m.path("status").asText())) {
                up.add(m.path("node").asText());
            }
        }
        return up;
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("\"" + text + "\" not in " + log + " within 90 s");
    }

    private static void signal(String signal, long pid) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last 30 lines of every node's log, for an assertion message. */
    public static String logTails(LocalCluster cluster, int nodes) {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            Path log = cluster.logFile(i);
            try {
                if (Files.isRegularFile(log)) {
                    List<String> lines = Files.readAllLines(log);
                    logs.append("\n--- node ").append(i).append(" log tail:\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                }
            } catch (IOException e) {
                logs.append("\n--- node ").append(i).append(" log unreadable: ").append(e.getMessage());
            }
        }
        return logs.toString();
    }

    /** Deletes a directory tree; a missing one is fine. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
