package io.mailfleet.server.cluster;

import io.mailfleet.devtools.LocalCluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailfleet.cli.Cli;
import io.mailfleet.server.TestClusterCredentials;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster formation with {@code MAILFLEET_CLUSTER_DISCOVERY=kubernetes} against a fake Kubernetes API
 * server (HTTPS, self-signed CA, bearer token): node processes configured like pods (the API host
 * and port in KUBERNETES_SERVICE_HOST/PORT, the service-account files, no seed nodes) form one
 * cluster, and a node whose API answers are refused or unreadable never forms one on its own.
 */
@ExtendWith(ClusterTestSlots.class)
class KubernetesDiscoveryTest {

    private static final int NODES = 3;
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.fake-service-account-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /**
     * The bootstrap of these tests' pods looks the pods up twice a second and judges the contact points
     * stable after 1 s without change (pekko-management: once a second, 5 s), so the lowest-addressed
     * pod forms the cluster some 4 s earlier; what forms it, and what keeps a lone pod from it, is the same.
     */
    private static final String BOOTSTRAP_TIMINGS = """
            pekko.management.cluster.bootstrap {
              contact-point-discovery.interval = 500ms
              contact-point-discovery.stable-margin = 1s
              contact-point.probe-interval = 500ms
            }
            """;

    @Test
    void podsListedByTheApiFormOneClusterWithoutSeedNodes() throws Exception {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "mailfleet-k8s");
        // PostgreSQL runs as nobody when the build runs as root: the directory must be reachable
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        LocalCluster.Layout layout = ClusterRig.freeLayout(NODES, null);
        try (FakeKubernetesApi api = FakeKubernetesApi.start(base.resolve("serviceaccount"), TOKEN)) {
            List<FakeKubernetesApi.Pod> pods = new ArrayList<>();
            // a pod of the previous rollout still terminating, on a port nobody listens on: must be ignored
            pods.add(new FakeKubernetesApi.Pod("mailfleet-old", closedPort(), closedPort(), true));
            for (int i = 0; i < NODES; i++) {
                pods.add(new FakeKubernetesApi.Pod("mailfleet-" + i, layout.clusterPort(i), layout.managementPort(i), false));
            }
            api.pods(pods);
            Map<String, String> env = podEnv(base, api);
            env.put("MAILFLEET_SEED_NODES", "");
            NodeJvm jvm = NodeJvm.get();
            LocalCluster cluster = new LocalCluster(base.resolve("cluster"), layout, jvm.options(), jvm.classPath(),
                    env, Map.of());
            try {
                long started = System.nanoTime();
                cluster.start(Optional.empty());
                long running = System.nanoTime();
                await(() -> allSeeAllUp(layout), Duration.ofSeconds(30), "every node sees " + NODES + " members Up");
                System.out.printf("kubernetes discovery: %d nodes running after %d ms, one cluster of %d members Up "
                                + "on every node after %d ms (%d pod lists served)%n", NODES, ms(started, running), NODES,
                        ms(started, System.nanoTime()), api.podListsServed());

                TreeSet<String> expected = new TreeSet<>();
                for (int i = 0; i < NODES; i++) {
                    expected.add("pekko://mailfleet@127.0.0.1:" + layout.clusterPort(i));
                }
                for (int i = 0; i < NODES; i++) {
                    assertEquals(expected, ClusterRig.upMembers(ClusterRig.members(layout.managementPort(i))), "members seen by node " + i);
                }
                assertEquals(0, api.rejectedTokens(), "every request carried the service-account token");
                assertTrue(api.podListsServed() >= NODES, "each node listed the pods");
                assertEquals(List.of("app=mailfleet"), api.labelSelectors().stream().distinct().toList());

                Run add = cli(cluster.env(0), "email", "add", "k8s@example.com", "k8s-secret-pw");
                assertEquals(0, add.code(), add.toString());
                long added = System.nanoTime();
                Map<String, String> last = cluster.env(NODES - 1);
                await(() -> {
                    Run list = cli(last, "email", "list");
                    return list.code() == 0 && list.out().contains("k8s@example.com");
                }, Duration.ofSeconds(20), "account added through node 0 listed by node " + (NODES - 1));
                System.out.printf("kubernetes discovery: account added through node 0 listed by node %d after %d ms%n",
                        NODES - 1, ms(added, System.nanoTime()));
            } finally {
                cluster.stop();
            }
        } finally {
            ClusterRig.deleteTree(base);
        }
    }

    @Test
    void aNodeWhoseApiRefusesOrGarblesAnswersLogsWhyAndFormsNoClusterAlone() throws Exception {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "mailfleet-k8s-alone");
        Process node = null;
        try (FakeKubernetesApi api = FakeKubernetesApi.start(base.resolve("serviceaccount"), TOKEN)) {
            Map<String, String> env = new HashMap<>(TestServers.env(base.resolve("node"), podEnv(base, api)));
            int remoting = Integer.parseInt(env.get("MAILFLEET_CLUSTER_PORT"));
            int management = Integer.parseInt(env.get("MAILFLEET_CLUSTER_MANAGEMENT_PORT"));
            // RBAC missing, then an API answer that is no pod list, then a pod list holding only this pod
            api.script(FakeKubernetesApi.Answer.FORBIDDEN, FakeKubernetesApi.Answer.GARBAGE);
            api.pods(List.of(new FakeKubernetesApi.Pod("mailfleet-0", remoting, management, false)));
            Path log = base.resolve("node.log");
            // what is proven is discovery, not the node making its own credentials (two RSA keys in a C1 JVM)
            TestClusterCredentials.provision(env);
            node = launch(env, log);

            // eight lookups (two a second here) outlast the 1 s stable margin of BOOTSTRAP_TIMINGS several times
            final Process running = node;
            await(() -> api.podListsServed() >= 8 || !running.isAlive(), Duration.ofSeconds(60),
                    "eight pod lists served after the refused and the garbled answer");
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(node.isAlive(), "the node keeps running and retrying:\n" + out);
            assertTrue(out.contains("cluster formation by Kubernetes API discovery: Kubernetes API https://127.0.0.1:"
                    + api.env().get("KUBERNETES_SERVICE_PORT") + ", namespace mail, pods labelled app=mailfleet"), out);
            assertTrue(out.contains("Forbidden when communicating with the Kubernetes API. Check RBAC settings."), out);
            assertTrue(out.contains("Failed to unmarshal Kubernetes API response"), out);

            HttpResponse<String> ready = get(management, "/ready");
            // pekko-management answers a failed readiness check with 500; any 4xx/5xx fails a probe
            assertEquals(500, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("ClusterMembershipCheck"), ready.body());
            JsonNode members = ClusterRig.members(management);
            assertTrue(ClusterRig.upMembers(members).isEmpty(), "no member Up: " + members);
            System.out.printf("kubernetes discovery: alone and after a 403 and a garbled answer, the node stays "
                    + "unjoined (/ready %d) after %d pod lists%n", ready.statusCode(), api.podListsServed());
        } finally {
            if (node != null) {
                node.destroyForcibly();
                node.waitFor(30, TimeUnit.SECONDS);
            }
            ClusterRig.deleteTree(base);
        }
    }

    /** What a pod of ops/src/main/k8s/mailfleet.yaml gets, with the service-account files elsewhere. */
    private static Map<String, String> podEnv(Path base, FakeKubernetesApi api) throws IOException {
        Path conf = base.resolve("kubernetes.conf");
        Files.writeString(conf, api.discoveryConfig() + BOOTSTRAP_TIMINGS);
        Map<String, String> env = new LinkedHashMap<>(api.env());
        env.put("MAILFLEET_CLUSTER_DISCOVERY", "kubernetes");
        env.put("MAILFLEET_CONFIG", conf.toString());
        env.put("OVERRIDE_HOSTNAME", "mail.example.com");
        env.put("MAILFLEET_BIND_ADDRESS", "127.0.0.1");
        for (String port : List.of("SMTP", "SUBMISSION", "SUBMISSIONS", "IMAP", "IMAPS", "POP3", "POP3S", "MANAGESIEVE")) {
            env.put("MAILFLEET_" + port + "_PORT", "0");
        }
        env.put("LOG_LEVEL", "info");
        return env;
    }

    private static Process launch(Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(NodeJvm.get().command(List.of("serve", "--data", env.get("MAILFLEET_DATA"))))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        return pb.start();
    }

    private static boolean allSeeAllUp(LocalCluster.Layout layout) {
        for (int i = 0; i < NODES; i++) {
            try {
                if (ClusterRig.upMembers(ClusterRig.members(layout.managementPort(i))).size() != NODES) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static HttpResponse<String> get(int port, String path) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    record Run(int code, String out, String err) {
    }

    private static Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void await(BooleanSupplier condition, Duration max, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    /** A port nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
