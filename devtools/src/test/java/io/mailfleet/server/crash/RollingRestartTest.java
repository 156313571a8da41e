package io.mailfleet.server.crash;

import io.mailfleet.server.cluster.ClusterRig;
import io.mailfleet.server.cluster.ClusterTestSlots;
import io.mailfleet.devtools.LocalCluster;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import jakarta.mail.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling restart under load: three node processes on one PostgreSQL and one shared blob directory,
 * one sender per node submitting mail over SMTP without pause, while node 0, then 1, then 2 is stopped
 * gracefully (SIGTERM: listeners close, the node leaves, its shards hand over) and started again, the
 * next one only once the previous answers {@code /ready} and accepts a message. A sender treats the
 * three nodes like the MX hosts of one domain: a refused, deferred or dropped transaction is retried
 * at once on the next node. Every message must get a {@code 250} from some node, and every message
 * that got one must be in the mailbox exactly once.
 */
@ExtendWith(ClusterTestSlots.class)
class RollingRestartTest {

    private static final String ACCOUNT = "user@example.com";
    private static final String PASSWORD = "secret-pw";
    private static final int NODES = 3;
    /** Outside a restart: the phase index used between restarts. */
    private static final int STEADY = NODES;
    private static final long PAUSE_MILLIS = 40;
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    /** The outcome of one message: the node that answered 250 (-1: none of the three did) and when. */
    private record Outcome(String id, int acceptedBy, long firstAttemptNanos, long acceptedNanos, List<String> failures) {
    }

    @Test
    void everyNodeRestartedGracefullyOneAtATimeWhileMailKeepsBeingAccepted() throws Exception {
        LocalCluster.Layout layout = ClusterRig.freeLayout(NODES, ClusterRig::smtpAndImap);
        Path base = ClusterRig.baseDirectory("mailfleet-rolling-restart");
        LocalCluster cluster = ClusterRig.cluster(base, layout,
                Map.of("OVERRIDE_HOSTNAME", "mail.example.com", "MAILFLEET_BIND_ADDRESS", "127.0.0.1",
                        "MAILFLEET_SUBMISSION_PORT", "0", "MAILFLEET_SUBMISSIONS_PORT", "0", "MAILFLEET_IMAPS_PORT", "0",
                        "LOG_LEVEL", "warn"), "");
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        try {
            long startedAt = System.nanoTime();
            cluster.start(Optional.of(new String[] {ACCOUNT, PASSWORD}));
            for (int i = 0; i < NODES; i++) {
                // the account must be in every node's directory cache before load starts
                awaitAccepted(cluster, i, "<warmup-" + i + "@client.example>", attempted, accepted);
            }

            System.out.printf("rolling restart: 3 nodes up and the account known on each after %d ms%n", ms(startedAt));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger phase = new AtomicInteger(STEADY);
            AtomicIntegerArray refusedInPhase = new AtomicIntegerArray(NODES + 1);
            Map<String, Integer> refusalKinds = new ConcurrentHashMap<>();
            List<Outcome> outcomes = new ArrayList<>();
            AtomicInteger seq = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(NODES);
            List<Future<?>> senders = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                int first = i;
                senders.add(pool.submit(() -> {
                    while (!stop.get()) {
                        String id = "<msg-" + seq.getAndIncrement() + "-from" + first + "@client.example>";
                        Outcome o = sendToAnyNode(cluster, first, id, attempted, phase, refusedInPhase, refusalKinds);
                        synchronized (outcomes) {
                            outcomes.add(o);
                        }
                        if (o.acceptedBy() >= 0) {
                            accepted.add(id);
                        }
                        Thread.sleep(PAUSE_MILLIS);
                    }
                    return null;
                }));
            }
            awaitOutcomes(outcomes, 30);

            long[] stopMillis = new long[NODES];
            long[] readyMillis = new long[NODES];
            for (int node = 0; node < NODES; node++) {
                phase.set(node);
                long t0 = System.nanoTime();
                cluster.stop(node);
                stopMillis[node] = ms(t0);
                cluster.start(node);
                awaitReady(cluster, node);
                awaitAccepted(cluster, node, "<ready-" + node + "@client.example>", attempted, accepted);
                readyMillis[node] = ms(t0);
                phase.set(STEADY);
                System.out.printf("rolling restart: node %d left in %d ms, ready again (/ready and a 250) %d ms after "
                        + "the SIGTERM; %d transactions refused meanwhile%n", node, stopMillis[node], readyMillis[node],
                        refusedInPhase.get(node));
                awaitOutcomes(outcomes, outcomes.size() + 10);
            }
            stop.set(true);
            for (Future<?> f : senders) {
                f.get(3 * READ_TIMEOUT_MILLIS + 30_000, TimeUnit.MILLISECONDS);
            }
            pool.shutdownNow();

            List<Outcome> gaveUp = outcomes.stream().filter(o -> o.acceptedBy() < 0).toList();
            long slowest = outcomes.stream().filter(o -> o.acceptedBy() >= 0)
                    .mapToLong(o -> o.acceptedNanos() - o.firstAttemptNanos()).max().orElse(0);
            int retried = (int) outcomes.stream().filter(o -> !o.failures().isEmpty()).count();
            int[] perNode = new int[NODES];
            outcomes.stream().filter(o -> o.acceptedBy() >= 0).forEach(o -> perNode[o.acceptedBy()]++);
            System.out.printf("rolling restart: %d messages, %d accepted (by node 0/1/2: %d/%d/%d), %d needed another "
                            + "node, %d gave up; refused transactions during the restart of node 0/1/2: %d/%d/%d, "
                            + "outside restarts: %d; slowest first attempt -> 250: %d ms%n", outcomes.size(),
                    outcomes.size() - gaveUp.size(), perNode[0], perNode[1], perNode[2], retried, gaveUp.size(),
                    refusedInPhase.get(0), refusedInPhase.get(1), refusedInPhase.get(2), refusedInPhase.get(STEADY),
                    slowest / 1_000_000);
            System.out.println("rolling restart: refusals by kind " + new java.util.TreeMap<>(refusalKinds));
            outcomes.stream().filter(o -> !o.failures().isEmpty() && !o.failures().toString().contains("refused")).limit(12)
                    .forEach(o -> System.out.println("rolling restart: " + o.id() + " " + o.failures()
                            + (o.acceptedBy() >= 0 ? " then 250 from node " + o.acceptedBy() : " and gave up")));
            assertTrue(gaveUp.isEmpty(), "messages refused by all three nodes: " + gaveUp);

            Map<String, Integer> counts = RemoteInbox.settled(cluster.layout().imapPort(1), ACCOUNT, PASSWORD, accepted);
            for (String id : accepted) {
                assertEquals(1, counts.getOrDefault(id, 0), "accepted message " + id + " must be stored exactly once");
            }
            counts.forEach((id, n) -> {
                assertTrue(attempted.contains(id), "a message nobody sent is in the mailbox: " + id);
                assertEquals(1, n, "message " + id + " stored " + n + " times");
            });
            System.out.printf("rolling restart: all %d accepted messages in the mailbox exactly once; %d ms since the "
                    + "cluster start%n", accepted.size(), ms(startedAt));
        } catch (Exception | Error e) {
            throw new AssertionError(e.getMessage() + ClusterRig.logTails(cluster, NODES), e);
        } finally {
            cluster.stop();
            ClusterRig.deleteTree(base);
        }
    }

    /**
     * Tries {@code first}, then the next nodes in turn, like an MX client with three equal hosts; every
     * failed attempt is counted against the restart running when it ended.
     */
    private static Outcome sendToAnyNode(LocalCluster cluster, int first, String id, Set<String> attempted,
                                         AtomicInteger phase, AtomicIntegerArray refusedInPhase,
                                         Map<String, Integer> refusalKinds) {
        attempted.add(id);
        long started = System.nanoTime();
        List<String> failures = new ArrayList<>();
        for (int k = 0; k < NODES; k++) {
            int node = (first + k) % NODES;
            String reply = sendOne(cluster.layout().smtpPort(node), id);
            if ("250".equals(reply)) {
                return new Outcome(id, node, started, System.nanoTime(), List.copyOf(failures));
            }
            int during = phase.get();
            refusedInPhase.incrementAndGet(during);
            refusalKinds.merge((during == STEADY ? "between restarts" : "restart of node " + during) + ": "
                    + kind(reply), 1, Integer::sum);
            failures.add("node " + node + ": " + reply);
        }
        return new Outcome(id, -1, started, 0, List.copyOf(failures));
    }

    /** What kind of refusal a failed attempt met, for the summary. */
    private static String kind(String reply) {
        if (reply.contains("Connection refused")) {
            return "connection refused";
        }
        if (reply.contains("421")) {
            return "421 (node stopping)";
        }
        if (reply.matches("(?s).*\\b4[0-9][0-9]\\b.*")) {
            return "other 4xx";
        }
        return "dropped or timed out";
    }

    /** One message on its own connection: "250" when accepted, else what went wrong. */
    private static String sendOne(int port, String messageId) {
        try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, port, READ_TIMEOUT_MILLIS)) {
            Smtp.beginData(smtp, "sender@remote.example", ACCOUNT);
            smtp.write("From: <sender@remote.example>\r\nTo: <" + ACCOUNT + ">\r\nSubject: rolling restart test\r\n"
                    + "Message-ID: " + messageId + "\r\n\r\n" + "body line\r\n".repeat(20));
            String reply = Smtp.endData(smtp);
            if (reply != null && reply.startsWith("250")) {
                smtp.write("QUIT\r\n");
                return "250";
            }
            return reply == null ? "dropped after DATA" : reply;
        } catch (SocketTimeoutException e) {
            return "no reply within " + READ_TIMEOUT_MILLIS / 1000 + " s";
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static void awaitOutcomes(List<Outcome> outcomes, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            synchronized (outcomes) {
                if (outcomes.size() >= count) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("fewer than " + count + " messages sent within 90 s");
    }

    /** Waits until the node's pekko-management readiness probe answers 200 (it is an Up member). */
    private static void awaitReady(LocalCluster cluster, int node) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI ready = URI.create("http://127.0.0.1:" + cluster.layout().managementPort(node) + "/ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("node " + node + " not ready within 90 s: " + last);
    }

    private static void awaitAccepted(LocalCluster cluster, int node, String id, Set<String> attempted,
                                      Set<String> accepted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        attempted.add(id);
        String last = null;
        while (System.nanoTime() < deadline) {
            last = sendOne(cluster.layout().smtpPort(node), id);
            if ("250".equals(last)) {
                accepted.add(id);
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("node " + node + " did not accept " + id + " within 90 s: " + last);
    }

    private static long ms(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

}
