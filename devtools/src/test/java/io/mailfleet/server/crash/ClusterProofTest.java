package io.mailfleet.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailfleet.cli.Cli;
import io.mailfleet.server.cluster.ClusterRig;
import io.mailfleet.server.cluster.ClusterTestSlots;
import io.mailfleet.devtools.LocalCluster;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster proofs of shared state, on three node processes with one PostgreSQL and one shared blob
 * directory: a delivery through one node wakes an IMAP IDLE session on another, six failed logins on
 * one node get the client dropped at accept on another, a deferred message keeps its retry schedule,
 * and after every node is SIGKILLed and started again the mailbox, the queue schedule and the ban are
 * all as they were. Clients arrive through a PROXY protocol header (the nodes trust loopback as their
 * load balancer), because loopback addresses themselves can never be banned.
 */
@ExtendWith(ClusterTestSlots.class)
class ClusterProofTest {

    private static final String ACCOUNT = "user@example.com";
    private static final String PASSWORD = "secret-pw";
    private static final int NODES = 3;
    /** Longer than Pekko's seed-node-timeout (5 s), after which a first seed forms a cluster of its own. */
    private static final long FROZEN_AFTER_JOIN_MILLIS = 6_500;
    private static final int DELIVERIES = 5;
    /** A well-behaved client (TEST-NET-3). */
    private static final String CLIENT = "203.0.113.10";
    /** The client that guesses passwords (TEST-NET-2). */
    private static final String ATTACKER = "198.51.100.23";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A response line and when it arrived. */
    private record Timed(String line, long nanos) {
    }

    @Test
    void idleBansAndQueueScheduleWorkAcrossNodesAndSurviveARestartOfAll() throws Exception {
        Path base = ClusterRig.baseDirectory("mailfleet-cluster-proof");
        String proxyConf = """
                mailfleet.proxy-protocol {
                  smtp = true
                  submission = true
                  imap = true
                  pop3 = true
                  managesieve = true
                  trusted-networks = ["127.0.0.1"]
                }
                """;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OVERRIDE_HOSTNAME", "mail.example.com");
        env.put("MAILFLEET_BIND_ADDRESS", "127.0.0.1");
        env.put("MAILFLEET_SUBMISSIONS_PORT", "0");
        env.put("MAILFLEET_IMAPS_PORT", "0");
        env.put("MAILFLEET_POP3S_PORT", "0");
        env.put("ENABLE_FAIL2BAN", "1");
        env.put("ENABLE_POP3", "1");
        env.put("ENABLE_MANAGESIEVE", "1");
        // every outbound message goes to a relay nobody listens on: refused, so deferred
        env.put("DEFAULT_RELAY_HOST", "[127.0.0.1]:" + closedPort());
        env.put("LOG_LEVEL", "info");
        LocalCluster cluster = ClusterRig.cluster(base, ClusterRig.freeLayout(NODES, ClusterProofTest::mailPorts), env,
                proxyConf);
        Ports ports = new Ports(cluster.layout());
        try {
            long started = System.nanoTime();
            cluster.start(Optional.of(new String[] {ACCOUNT, PASSWORD}));
            for (int i = 0; i < NODES; i++) {
                awaitRecipientKnown(ports.smtp(i));
            }
            System.out.printf("cluster proof: 3 nodes up and the account known everywhere after %d ms%n", ms(started));

            // the notification must cross the network: IDLE and SMTP on the two nodes not hosting the mailbox
            int host = mailboxHost(cluster, ports);
            int a = host < 0 ? 0 : (host + 1) % NODES;
            int b = host < 0 ? 1 : (host + 2) % NODES;
            int c = host < 0 ? 2 : host;
            System.out.printf("cluster proof: mailbox entity on node %s; IDLE on node %d, SMTP on node %d%n",
                    host < 0 ? "(unknown)" : Integer.toString(host), a, b);

            idleIsWokenByDeliveryThroughAnotherNode(ports, a, b);
            List<String> mailbox = flagAndSnapshot(ports.imap(b));

            failedLoginsOnOneNodeBanOnAnother(cluster, ports, a, c);

            String queueId = submitRemote(ports.submission(b));
            JsonNode deferred = awaitDeferred(cluster, c, queueId);
            int attempts = deferred.get("attempts").asInt();
            String nextAttempt = deferred.get("nextAttempt").asText();
            System.out.printf("cluster proof: %s deferred after %d attempt(s), next attempt %s (%s)%n", queueId, attempts,
                    nextAttempt, deferred.get("reason").asText());
            Run list = cli(cluster.env(a), "queue", "list");
            assertEquals(0, list.code(), list.toString());
            assertTrue(list.out().contains(queueId), list.out());

            for (int i = 0; i < NODES; i++) {
                cluster.kill(i);
            }
            long restart = System.nanoTime();
            cluster.start(Optional.empty());
            System.out.printf("cluster proof: all 3 nodes SIGKILLed and started again in %d ms%n", ms(restart));
            stateIsIntact(cluster, ports, mailbox, queueId, attempts, nextAttempt, "SIGKILL of every node");

            cluster.stop();
            restart = System.nanoTime();
            cluster.start(Optional.empty());
            System.out.printf("cluster proof: graceful stop of all nodes and PostgreSQL, started again in %d ms%n",
                    ms(restart));
            stateIsIntact(cluster, ports, mailbox, queueId, attempts, nextAttempt, "graceful stop of every node");

            restart = System.nanoTime();
            List<Set<String>> views = ClusterRig.restartFirstSeedWhileOthersFrozen(cluster, FROZEN_AFTER_JOIN_MILLIS);
            for (int i = 0; i < NODES; i++) {
                assertEquals(ClusterRig.addresses(cluster.layout()), views.get(i), "node " + i + " must see every node "
                        + "as an Up member of one cluster after node 0 was restarted while the others were frozen");
            }
            assertTrue(Files.readString(cluster.logFile(0)).contains("does not form a cluster of its own"),
                    "node 0 must have seen the running members in PostgreSQL and left itself out of its seeds");
            System.out.printf("cluster proof: node 0 restarted while nodes 1 and 2 were frozen (SIGSTOP) waited for them "
                    + "and joined their cluster, %d ms after its stop%n", ms(restart));
            stateIsIntact(cluster, ports, mailbox, queueId, attempts, nextAttempt,
                    "restart of node 0 while the others were frozen");
        } catch (Exception | Error e) {
            throw new AssertionError(e.getMessage() + ClusterRig.logTails(cluster, NODES), e);
        } finally {
            cluster.stop();
            ClusterRig.deleteTree(base);
        }
    }

    private static void idleIsWokenByDeliveryThroughAnotherNode(Ports ports, int idleNode, int smtpNode)
            throws Exception {
        try (Wire idle = login(ports.imap(idleNode))) {
            List<String> select = idle.command("s", "SELECT INBOX");
            assertTrue(select.contains("* 0 EXISTS"), select.toString());
            idle.write("i IDLE\r\n");
            assertEquals("+ idling", idle.line());
            BlockingQueue<Timed> seen = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        String line = idle.imapResponse();
                        seen.add(new Timed(line, System.nanoTime()));
                    }
                } catch (IOException closed) {
                    // the test closed the session
                }
            }, "idle-reader");
            reader.setDaemon(true);
            reader.start();
            List<Long> fromEndOfData = new ArrayList<>();
            List<Long> fromAccepted = new ArrayList<>();
            for (int k = 1; k <= DELIVERIES; k++) {
                long[] sent = deliver(ports.smtp(smtpNode), k);
                Timed exists = await(seen, "* " + k + " EXISTS", idleNode);
                fromEndOfData.add(exists.nanos() - sent[0]);
                fromAccepted.add(exists.nanos() - sent[1]);
            }
            idle.write("DONE\r\n");
            assertTrue(await(seen, null, idleNode).line().startsWith("i OK"));
            System.out.printf("cluster proof: IDLE on node %d woken by SMTP delivery through node %d, end of DATA -> "
                            + "'* N EXISTS' %s ms (from the 250 reply: %s ms)%n", idleNode, smtpNode,
                    millis(fromEndOfData), millis(fromAccepted));
        }
    }

    /** Sets \Flagged on message 2 and returns every message's UID, flags, size and full text. */
    private static List<String> flagAndSnapshot(int imapPort) throws Exception {
        try (Wire imap = login(imapPort)) {
            assertTrue(imap.command("s", "SELECT INBOX").contains("* " + DELIVERIES + " EXISTS"));
            List<String> store = imap.command("f", "STORE 2 +FLAGS (\\Flagged)");
            assertTrue(Wire.last(store).startsWith("f OK"), store.toString());
        }
        List<String> snapshot = snapshot(imapPort);
        assertEquals(DELIVERIES, snapshot.size(), snapshot.toString());
        assertTrue(snapshot.get(1).contains("\\Flagged"), snapshot.get(1));
        for (int k = 1; k <= DELIVERIES; k++) {
            assertTrue(snapshot.get(k - 1).contains("body of message " + k), snapshot.get(k - 1));
        }
        return snapshot;
    }

    private static void failedLoginsOnOneNodeBanOnAnother(LocalCluster cluster, Ports ports, int loginNode, int checkNode)
            throws Exception {
        // Opened before the ban on the other node's process, never logged in: the ban closes it there.
        Wire waiting = Wire.imap(Proxied.connect(ports.imap(checkNode), ATTACKER, 30_000));
        for (int i = 0; i < 6; i++) {
            try (Wire imap = Wire.imap(Proxied.connect(ports.imap(loginNode), ATTACKER, 30_000))) {
                List<String> r;
                try {
                    r = imap.command("l", "LOGIN " + ACCOUNT + " wrong-" + i);
                } catch (IOException closed) {
                    // The sixth failure bans, and the ban closes this not-logged-in connection during
                    // the failure delay, before its NO.
                    assertEquals(5, i, "connection closed at failure " + (i + 1) + ": " + closed);
                    continue;
                }
                assertTrue(Wire.last(r).startsWith("l NO"), r.toString());
            }
        }
        long sixth = System.nanoTime();
        try (waiting) {
            IOException closed = assertThrows(IOException.class, waiting::line,
                    "the connection " + ATTACKER + " opened on node " + checkNode + " before the ban");
            System.out.printf("cluster proof: the connection %s opened on node %d before the ban closed %d ms after "
                    + "the sixth failure (%s)%n", ATTACKER, checkNode, ms(sixth), closed.getMessage());
        }
        awaitDropped(ports.smtp(checkNode), checkNode);
        System.out.printf("cluster proof: 6 failed IMAP logins on node %d; %s dropped at accept on node %d %d ms after "
                + "the sixth%n", loginNode, ATTACKER, checkNode, ms(sixth));
        allPortsDrop(ports, checkNode);

        Run banned = cli(cluster.env(checkNode), "fail2ban");
        assertEquals(0, banned.code(), banned.toString());
        assertEquals("Banned in dovecot: " + ATTACKER + "\n", banned.out());
        Run status = cli(cluster.env(checkNode), "fail2ban", "status");
        assertEquals(0, status.code(), status.toString());
        assertTrue(status.out().contains("Status for the jail: dovecot\n`- Actions\n   |- Currently banned: 1"),
                status.out());
        assertTrue(status.out().contains("      " + ATTACKER + " (until "), status.out());
    }

    /** Every mail port of {@code node} closes on the attacker without a greeting, and still greets others. */
    private static void allPortsDrop(Ports ports, int node) throws IOException {
        for (Map.Entry<String, Integer> p : ports.mail(node).entrySet()) {
            assertNull(Proxied.firstLine(p.getValue(), ATTACKER), p.getKey() + " of node " + node + " greeted " + ATTACKER);
            String greeting = Proxied.firstLine(p.getValue(), CLIENT);
            assertNotNull(greeting, p.getKey() + " of node " + node + " dropped " + CLIENT + ", who is not banned");
            assertTrue(greeting.startsWith("220 ") || greeting.startsWith("* OK") || greeting.startsWith("+OK")
                    || greeting.startsWith("\"IMPLEMENTATION\""), p.getKey() + " greeting: " + greeting);
        }
    }

    /** An authenticated submission to a remote domain; returns its queue id. */
    private static String submitRemote(int submissionPort) throws Exception {
        try (Wire smtp = Wire.over(Wire.Protocol.SMTP, Proxied.connect(submissionPort, CLIENT, 30_000))) {
            String greeting = smtp.smtpReply();
            assertTrue(greeting != null && greeting.startsWith("220"), greeting);
            Smtp.command(smtp, "EHLO client.example", "250");
            Smtp.command(smtp, "AUTH PLAIN " + Base64.getEncoder().encodeToString(("\0" + ACCOUNT + "\0" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)), "235");
            Smtp.command(smtp, "MAIL FROM:<" + ACCOUNT + ">", "250");
            Smtp.command(smtp, "RCPT TO:<far@remote.example>", "250");
            Smtp.command(smtp, "DATA", "354");
            smtp.write("From: <" + ACCOUNT + ">\r\nTo: <far@remote.example>\r\nSubject: for the queue\r\n"
                    + "Message-ID: <queued@example.com>\r\n\r\nwaits for a relay that is down\r\n");
            String reply = Smtp.endData(smtp);
            assertTrue(reply != null && reply.startsWith("250 2.0.0 Ok: queued as "), reply);
            smtp.write("QUIT\r\n");
            return reply.substring(reply.lastIndexOf(' ') + 1);
        }
    }

    private static JsonNode awaitDeferred(LocalCluster cluster, int node, String queueId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode q = null;
        while (System.nanoTime() < deadline) {
            q = queueEntry(cluster, node, queueId);
            if (q != null && "deferred".equals(q.path("status").asText()) && q.path("attempts").asInt() >= 1
                    && q.hasNonNull("nextAttempt")) {
                return q;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(queueId + " not deferred within 30 s: " + q);
    }

    private static void stateIsIntact(LocalCluster cluster, Ports ports, List<String> mailbox, String queueId,
                                      int attempts, String nextAttempt, String after) throws Exception {
        for (int i = 0; i < NODES; i++) {
            awaitDropped(ports.smtp(i), i);
            allPortsDrop(ports, i);
        }
        JsonNode q = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (q == null && System.nanoTime() < deadline) {
            q = queueEntry(cluster, 0, queueId);
            if (q == null) {
                Thread.sleep(300);
            }
        }
        assertNotNull(q, "after the " + after + ": " + queueId + " not found in the queue within 60 s");
        assertEquals(queueId, q.get("id").asText());
        assertEquals("deferred", q.get("status").asText(), q.toString());
        assertEquals(attempts, q.get("attempts").asInt(), "attempts after the " + after + ": " + q);
        assertEquals(nextAttempt, q.get("nextAttempt").asText(), "next attempt after the " + after + ": " + q);

        List<String> again = null;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (again == null) {
            try {
                again = snapshot(ports.imap(NODES - 1));
            } catch (IOException | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
        assertEquals(mailbox, again, "the mailbox changed with the " + after);
        Run banned = cli(cluster.env(NODES - 1), "fail2ban");
        assertEquals("Banned in dovecot: " + ATTACKER + "\n", banned.out(), "after the " + after + ": " + banned);
        System.out.printf("cluster proof: after the %s: %d messages with flags and text unchanged, %s still deferred "
                + "(attempts %d, next %s), %s dropped on every port of every node%n", after, again.size(), queueId,
                attempts, nextAttempt, ATTACKER);
    }

    /** Each message's UID, flags (without the session-bound \Recent), size and full text, in order. */
    private static List<String> snapshot(int imapPort) throws IOException {
        try (Wire imap = login(imapPort)) {
            List<String> select = imap.command("s", "EXAMINE INBOX");
            assertTrue(Wire.last(select).startsWith("s OK"), select.toString());
            List<String> fetched = imap.command("f", "FETCH 1:* (UID FLAGS RFC822.SIZE BODY.PEEK[])");
            assertTrue(Wire.last(fetched).startsWith("f OK"), fetched.toString());
            return fetched.subList(0, fetched.size() - 1).stream()
                    .map(l -> l.replace(" \\Recent", "").replace("\\Recent ", "").replace("\\Recent", ""))
                    .toList();
        } catch (IOException e) {
            throw new IOException("IMAP on port " + imapPort + ": " + e.getMessage(), e);
        }
    }

    private static Wire login(int port) throws IOException {
        Wire imap = Wire.imap(Proxied.connect(port, CLIENT, 30_000));
        List<String> r = imap.command("l", "LOGIN " + ACCOUNT + " " + PASSWORD);
        if (!Wire.last(r).startsWith("l OK")) {
            imap.close();
            throw new IOException("LOGIN refused: " + r);
        }
        return imap;
    }

    /** Sends message {@code k}; returns when the end of DATA was sent and when the 250 arrived. */
    private static long[] deliver(int smtpPort, int k) throws IOException {
        try (Wire smtp = Wire.over(Wire.Protocol.SMTP, Proxied.connect(smtpPort, CLIENT, 30_000))) {
            Smtp.beginData(smtp, "sender@remote.example", ACCOUNT);
            smtp.write("From: <sender@remote.example>\r\nTo: <" + ACCOUNT + ">\r\nSubject: idle " + k + "\r\n"
                    + "Message-ID: <idle-" + k + "@client.example>\r\n\r\nbody of message " + k + "\r\n");
            long endOfData = System.nanoTime();
            String reply = Smtp.endData(smtp);
            long accepted = System.nanoTime();
            assertTrue(reply != null && reply.startsWith("250"), "message " + k + ": " + reply);
            smtp.write("QUIT\r\n");
            return new long[] {endOfData, accepted};
        }
    }

    /** The next response equal to {@code expected} (or, when null, the next tagged one); others are skipped. */
    private static Timed await(BlockingQueue<Timed> seen, String expected, int node) throws InterruptedException {
        List<String> skipped = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Timed t = seen.poll(100, TimeUnit.MILLISECONDS);
            if (t == null) {
                continue;
            }
            if (expected == null ? !t.line().startsWith("* ") : t.line().equals(expected)) {
                return t;
            }
            skipped.add(t.line());
        }
        throw new AssertionError("the IDLE session on node " + node + " did not get " + (expected == null
                ? "the tagged end of IDLE" : "'" + expected + "'") + " within 15 s; it got " + skipped);
    }

    /** Waits until node's directory cache knows the account (RCPT accepted), without delivering anything. */
    private static void awaitRecipientKnown(int smtpPort) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Wire smtp = Wire.over(Wire.Protocol.SMTP, Proxied.connect(smtpPort, CLIENT, 30_000))) {
                Smtp.beginTransaction(smtp, "sender@remote.example", ACCOUNT);
                smtp.write("QUIT\r\n");
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(300);
            }
        }
        throw new AssertionError("port " + smtpPort + " did not accept RCPT " + ACCOUNT + " within 60 s: " + last);
    }

    private static void awaitDropped(int smtpPort, int node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String greeting = "";
        while (System.nanoTime() < deadline) {
            greeting = Proxied.firstLine(smtpPort, ATTACKER);
            if (greeting == null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node " + node + " still greets " + ATTACKER + " after 30 s: " + greeting);
    }

    /**
     * The node whose shard region runs the account's mailbox entity (started by an IMAP login), from the
     * pekko-management shard route; -1 when no node reports it.
     */
    private static int mailboxHost(LocalCluster cluster, Ports ports) throws Exception {
        login(ports.imap(0)).close();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < NODES; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + cluster.layout().managementPort(i) + "/cluster/shards/Mailbox")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                for (JsonNode region : JSON.readTree(r.body()).path("regions")) {
                    if (region.path("numEntities").asInt() > 0) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** The queue detail from node's management API, or null when it is not (yet) there. */
    private static JsonNode queueEntry(LocalCluster cluster, int node, String queueId) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + cluster.layout().apiPort(node) + "/api/v1/queue/" + queueId))
                    .header("Authorization", "Bearer " + cluster.apiToken()).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
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

    /** The mail ports of each node: the standard port plus the layout's offset plus 1000 per node. */
    private record Ports(LocalCluster.Layout layout) {
        int smtp(int node) {
            return layout.smtpPort(node);
        }

        int imap(int node) {
            return layout.imapPort(node);
        }

        int submission(int node) {
            return 587 + layout.portOffset() + 1000 * node;
        }

        Map<String, Integer> mail(int node) {
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("smtp", smtp(node));
            m.put("submission", submission(node));
            m.put("imap", imap(node));
            m.put("pop3", 110 + layout.portOffset() + 1000 * node);
            m.put("managesieve", 4190 + layout.portOffset() + 1000 * node);
            return m;
        }
    }

    private static long ms(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    private static String millis(List<Long> nanos) {
        return nanos.stream().map(n -> Long.toString(n / 1_000_000)).reduce((x, y) -> x + ", " + y).orElse("");
    }

    /** A port nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Every mail port of every node: the layout must find them all free. */
    private static java.util.Collection<Integer> mailPorts(LocalCluster.Layout l) {
        List<Integer> all = new ArrayList<>();
        Ports p = new Ports(l);
        for (int i = 0; i < NODES; i++) {
            all.addAll(p.mail(i).values());
        }
        return all;
    }
}
