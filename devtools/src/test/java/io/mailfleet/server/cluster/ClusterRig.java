package io.mailfleet.server.cluster;

import io.mailfleet.devtools.LocalCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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
     * has formed the cluster instead of 5 s later. Node 0, the first seed, keeps the 5 s it gives the
     * other seeds to answer before it forms a new cluster alone: restarted while the others run, it must
     * join them, TLS handshake on a busy machine included.
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
