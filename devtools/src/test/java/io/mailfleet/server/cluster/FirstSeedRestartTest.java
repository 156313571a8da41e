package io.mailfleet.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailfleet.devtools.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first seed restarted while the other seed is frozen (SIGSTOP: a long GC pause, an overloaded
 * host): Pekko alone would have it form a new cluster 5 s later, a second cluster on the same journal
 * running every entity twice. The node must wait for the running member and join it once it answers.
 */
@ExtendWith(ClusterTestSlots.class)
class FirstSeedRestartTest {

    private static final int NODES = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Longer than Pekko's seed-node-timeout (5 s), after which a first seed forms a cluster of its own. */
    private static final long FROZEN_AFTER_JOIN_BEGAN_MILLIS = 9_000;

    @Test
    void theFirstSeedRestartedWhileTheOtherSeedIsFrozenJoinsItInsteadOfFormingASecondCluster() throws Exception {
        LocalCluster.Layout layout = ClusterRig.freeLayout(NODES, ClusterRig::smtpAndImap);
        Path base = ClusterRig.baseDirectory("mailfleet-first-seed");
        LocalCluster cluster = ClusterRig.cluster(base, layout, Map.of("OVERRIDE_HOSTNAME", "mail.example.com",
                "MAILFLEET_BIND_ADDRESS", "127.0.0.1", "MAILFLEET_SUBMISSION_PORT", "0", "MAILFLEET_SUBMISSIONS_PORT", "0",
                "MAILFLEET_IMAPS_PORT", "0", "LOG_LEVEL", "info"), "");
        long frozen = -1;
        try {
            cluster.start(Optional.of(new String[] {"user@example.com", "secret-pw"}));
            awaitMembers(layout, 0, NODES);
            cluster.stop(0);
            frozen = cluster.pid(1).orElseThrow().pid();
            signal("STOP", frozen);
            long pid = frozen;
            CompletableFuture<Void> thaw = CompletableFuture.runAsync(() -> {
                try {
                    awaitLog(cluster.logFile(0), "joining the cluster through seed nodes");
                    Thread.sleep(FROZEN_AFTER_JOIN_BEGAN_MILLIS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    signal("CONT", pid);
                }
            });
            cluster.start(0);
            thaw.get(120, TimeUnit.SECONDS);
            frozen = -1;
            String log = Files.readString(cluster.logFile(0), StandardCharsets.UTF_8);
            assertTrue(log.contains("does not form a cluster of its own"), "node 0 must have seen the running member "
                    + "in PostgreSQL and left itself out of its seeds");
            for (int node = 0; node < NODES; node++) {
                assertEquals(expected(layout), awaitMembers(layout, node, NODES),
                        "node " + node + " must see both nodes as Up members of one cluster");
            }
            System.out.println("first seed restarted while the other seed was frozen: it joined the running member");
        } catch (Exception | Error e) {
            throw new AssertionError(e.getMessage() + ClusterRig.logTails(cluster, NODES), e);
        } finally {
            if (frozen > 0) {
                signal("CONT", frozen);
            }
            cluster.stop();
            ClusterRig.deleteTree(base);
        }
    }

    private static TreeSet<String> expected(LocalCluster.Layout layout) {
        TreeSet<String> all = new TreeSet<>();
        for (int i = 0; i < NODES; i++) {
            all.add("pekko://mailfleet@127.0.0.1:" + layout.clusterPort(i));
        }
        return all;
    }

    /** The Up members node {@code node} sees, once it sees {@code count} of them or after 60 s. */
    private static TreeSet<String> awaitMembers(LocalCluster.Layout layout, int node, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        TreeSet<String> up = new TreeSet<>();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + layout.managementPort(node) + "/cluster/members")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    up = new TreeSet<>();
                    for (JsonNode m : JSON.readTree(r.body()).path("members")) {
                        if ("Up".equals(m.path("status").asText())) {
                            up.add(m.path("node").asText());
                        }
                    }
                    if (up.size() >= count) {
                        return up;
                    }
                }
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(250);
        }
        return up;
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
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
}
