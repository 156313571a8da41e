package io.mailfleet.server.cluster;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mailfleet.server.cluster.credentials.ClusterCertificates;
import io.mailfleet.cli.cluster.CredentialsCommand;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 3 of issue 12, replayed: a second {@code mailfleet serve} with only the victim as seed
 * (its own self-made credentials), from loopback and from another local address, a bare Pekko
 * node speaking plain TCP, and one that trusts the victim's CA but holds a certificate of another
 * CA, are all refused; the victim logs each refusal and its membership stays
 * exactly what it was. A node with credentials issued from the victim's CA joins.
 */
@ExtendWith(ClusterTestSlots.class)
class RogueNodeTest {

    private static final long WAIT_SECONDS = 120;

    @TempDir
    Path tmp;

    @Test
    void nodesWithoutTheClustersCredentialsCannotJoinAndOneWithThemCan() throws Exception {
        Refusals refusals = Refusals.attach();
        // every refusal logged, not one per 10 s: each step below waits for a line of its own
        Map<String, String> victimEnv = TestServers.env(tmp.resolve("victim"), Map.of("MAILFLEET_CLUSTER_HOST", "127.0.0.1",
                "MAILFLEET_CONFIG", config("victim.conf", "mailfleet.cluster.refusal-report-interval = 1s")));
        String seed = "127.0.0.1:" + victimEnv.get("MAILFLEET_CLUSTER_PORT");
        String membersUrl = "http://127.0.0.1:" + victimEnv.get("MAILFLEET_CLUSTER_MANAGEMENT_PORT") + "/cluster/members";
        try (MailfleetServer victim = TestServers.start(victimEnv, null)) {
            String before = members(membersUrl);
            assertEquals(1, count(before, "\"status\":\"Up\""), before);

            // a second mailfleet serve on the same host, as any local user could start it
            try (NodeProcess rogue = NodeProcess.start(nodeEnv("rogue-loopback", "127.0.0.1", seed, Map.of()))) {
                assertRefused(rogue, refusals, membersUrl, before);
            }
            // the same from another address
            try (NodeProcess rogue = NodeProcess.start(nodeEnv("rogue-other-address", "127.0.0.2", seed, Map.of()))) {
                assertRefused(rogue, refusals, membersUrl, before);
            }
            // an attacker's own Pekko node speaking plain TCP Artery, as every node did before
            int seen = refusals.count();
            ActorSystem plain = ActorSystem.create("mailfleet", plainTcpNode(seed));
            try {
                assertTrue(refusals.awaitMoreThan(seen, WAIT_SECONDS), "no refusal of the plain-TCP node logged");
                assertTrue(refusals.last().contains("refused an inbound cluster connection: TLS handshake failed"),
                        refusals.last());
                assertEquals(before, members(membersUrl));
            } finally {
                plain.terminate();
                plain.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }

            // an attacker's node that trusts the victim's CA (a CA certificate is no secret) but holds a
            // certificate of its own CA: the victim must check the client's certificate too
            Path evil = tmp.resolve("evil");
            ClusterCertificates.createCa(tmp.resolve("evil-ca"), Duration.ofDays(1));
            ClusterCertificates.issue(tmp.resolve("evil-ca"), "mailfleet-cluster", Duration.ofDays(1), evil);
            Files.delete(evil.resolve("ca.crt"));
            Files.copy(tmp.resolve("victim/cluster-tls/ca.crt"), evil.resolve("ca.crt"));
            seen = refusals.count();
            ActorSystem trusting = ActorSystem.create("mailfleet", tlsNode(seed, evil));
            try {
                assertTrue(refusals.awaitMoreThan(seen, WAIT_SECONDS), "no refusal of the node with a foreign certificate");
                assertTrue(refusals.last().contains("refused an inbound cluster connection: TLS handshake failed"),
                        refusals.last());
                assertEquals(before, members(membersUrl));
            } finally {
                trusting.terminate();
                trusting.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }

            // a node with credentials from the victim's own CA (made at its first start) is welcome
            Path friendCredentials = tmp.resolve("friend-credentials");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, CredentialsCommand.run(new String[] {"issue", "--ca",
                    tmp.resolve("victim/cluster-tls").toString(), "--node", "friend", friendCredentials.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
            try (NodeProcess friend = NodeProcess.start(nodeEnv("friend", "127.0.0.2", seed,
                    Map.of("MAILFLEET_CLUSTER_CREDENTIALS_DIR", friendCredentials.toString())))) {
                assertTrue(friend.awaitOutput(" is running", WAIT_SECONDS), "the friend did not start:\n" + friend.output());
                String after = members(membersUrl);
                assertEquals(2, count(after, "\"status\":\"Up\""), after);
                assertTrue(after.contains("127.0.0.2"), after);
                friend.leave();
            }
        } finally {
            refusals.detach();
        }
    }

    private void assertRefused(NodeProcess rogue, Refusals refusals, String membersUrl, String before) throws Exception {
        int seen = refusals.count();
        assertTrue(refusals.awaitMoreThan(seen, WAIT_SECONDS), "no refusal logged on the victim; rogue output:\n"
                + rogue.output());
        assertTrue(refusals.last().contains("refused an inbound cluster connection: TLS handshake failed"), refusals.last());
        // the rogue tried, failed the handshake, and keeps failing while the victim's cluster stays as it was
        assertTrue(rogue.awaitOutput("SSLHandshakeException", WAIT_SECONDS), rogue.output());
        assertTrue(rogue.awaitOutput("Couldn't join seed nodes", WAIT_SECONDS), rogue.output());
        assertEquals(before, members(membersUrl));
        assertFalse(rogue.output().contains(" is running"), rogue.output());
        assertTrue(rogue.isAlive(), "the rogue is still trying, not crashed:\n" + rogue.output());
    }

    private Map<String, String> nodeEnv(String name, String host, String seed, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(TestServers.env(tmp.resolve(name), extra));
        env.put("MAILFLEET_CLUSTER_HOST", host);
        env.put("MAILFLEET_SEED_NODES", seed);
        // a refused node says "Couldn't join seed nodes" after its second unanswered attempt: 2 s, not 10 s
        env.put("MAILFLEET_CONFIG", config("joining-node.conf", ClusterRig.JOINING_NODE));
        return env;
    }

    /** A configuration file under the test's directory holding {@code hocon}. */
    private String config(String name, String hocon) throws Exception {
        return Files.writeString(tmp.resolve(name), hocon + "\n").toString();
    }

    private static Config plainTcpNode(String seed) {
        return ConfigFactory.parseMap(Map.of(
                "pekko.actor.provider", "cluster",
                "pekko.remote.artery.transport", "tcp",
                "pekko.remote.artery.canonical.hostname", "127.0.0.2",
                "pekko.remote.artery.canonical.port", 0,
                "pekko.cluster.seed-nodes", List.of("pekko://mailfleet@" + seed),
                "pekko.cluster.jmx.enabled", "off",
                "pekko.loglevel", "OFF"))
                .withFallback(ConfigFactory.defaultReference());
    }

    private static Config tlsNode(String seed, Path credentials) {
        return ConfigFactory.parseMap(Map.of(
                "pekko.remote.artery.transport", "tls-tcp",
                "pekko.remote.artery.ssl.ssl-engine-provider", "org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider",
                "pekko.remote.artery.ssl.rotating-keys-engine.key-file", credentials.resolve("tls.key").toString(),
                "pekko.remote.artery.ssl.rotating-keys-engine.cert-file", credentials.resolve("tls.crt").toString(),
                "pekko.remote.artery.ssl.rotating-keys-engine.ca-cert-file", credentials.resolve("ca.crt").toString()))
                .withFallback(plainTcpNode(seed));
    }

    private static String members(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    /** The victim's refusal log lines, captured from its logger. */
    private static final class Refusals extends AppenderBase<ILoggingEvent> {

        private final List<String> lines = new CopyOnWriteArrayList<>();

        static Refusals attach() {
            Refusals r = new Refusals();
            r.setContext(((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).getLoggerContext());
            r.start();
            logger().addAppender(r);
            return r;
        }

        private static Logger logger() {
            return (Logger) LoggerFactory.getLogger("io.mailfleet.server.cluster.credentials.RefusalLog");
        }

        void detach() {
            logger().detachAppender(this);
            stop();
        }

        @Override
        protected void append(ILoggingEvent e) {
            lines.add(e.getFormattedMessage());
        }

        int count() {
            return lines.size();
        }

        String last() {
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        boolean awaitMoreThan(int seen, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                if (lines.size() > seen) {
                    return true;
                }
                Thread.sleep(200);
            }
            return false;
        }
    }
}
