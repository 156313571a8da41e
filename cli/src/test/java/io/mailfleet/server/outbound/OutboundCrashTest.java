package io.mailfleet.server.outbound;

import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestClusterCredentials;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import static io.mailfleet.server.outbound.OutboundDeliveryTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node in its own JVM relays to a slow remote and is SIGKILLed while deliveries wait for the remote's
 * final-dot reply. A node restarted on the same data directory finishes the queue: every message the node
 * accepted reaches the remote at least once, and only messages the remote had already committed before the
 * kill may arrive twice.
 */
class OutboundCrashTest {

    private static final int MESSAGES = 20;
    private static final int KILL_AFTER_COMMITS = 4;
    private static final String USER = "user@example.com";
    private static final String PASSWORD = "secret-pw";

    @TempDir
    Path data;

    @Test
    void aNodeKilledMidDeliveryLosesNothingAndDuplicatesOnlyWhatTheRemoteHadAccepted() throws Exception {
        try (SlowSink sink = new SlowSink(300, KILL_AFTER_COMMITS)) {
            Map<String, String> env = new HashMap<>(TestServers.env(data, Map.of(
                    "DEFAULT_RELAY_HOST", "[127.0.0.1]:" + sink.port(),
                    "MAILFLEET_RETRY_FIRST", "1s",
                    "MAILFLEET_RETRY_MAX", "2s",
                    "MAILFLEET_SMTP_CLIENT_TIMEOUT", "20s")));
            env.put("MAILFLEET_SMTP_PORT", Integer.toString(TestServers.freePort()));
            env.put("MAILFLEET_SUBMISSION_PORT", Integer.toString(TestServers.freePort()));
            env.put("MAILFLEET_SUBMISSIONS_PORT", Integer.toString(TestServers.freePort()));

            List<String> accepted = new ArrayList<>();
            long killedAt;
            int waitingAtKill;
            try (Child child = Child.start(env)) {
                try (Wire c = Smtp.submission(Integer.parseInt(env.get("MAILFLEET_SUBMISSION_PORT")),
                        USER, PASSWORD)) {
                    for (int i = 0; i < MESSAGES; i++) {
                        String id = "<crash-out-" + i + "@example.com>";
                        Smtp.submit(c, "<" + USER + ">", List.of("<far" + i + "@remote.example>"),
                                "From: <" + USER + ">\r\nTo: <far" + i + "@remote.example>\r\nSubject: outbound crash " + i
                                        + "\r\nMessage-ID: " + id + "\r\n\r\n" + ("line of message " + i + "\r\n").repeat(20));
                        accepted.add(id);
                    }
                }
                // Killed right after the remote's 250 went out: the node may not have recorded it yet.
                assertTrue(sink.replied.await(40, TimeUnit.SECONDS), "no deliveries:\n" + child.output());
                child.kill();
                killedAt = System.nanoTime();
                waitingAtKill = sink.waiting.get();
            }
            assertTrue(waitingAtKill > 0, "deliveries were in flight at the kill");
            List<SlowSink.Commit> beforeKill = sink.commits.stream().filter(c -> c.at() < killedAt).toList();
            assertTrue(beforeKill.size() < MESSAGES, "the kill came after every delivery: " + beforeKill.size());

            try (MailfleetServer again = TestServers.start(env, null)) {
                waitFor(() -> queueSettled(again) && sink.commits.stream().map(SlowSink.Commit::messageId).distinct().count()
                        >= accepted.size());
            }

            Map<String, Integer> counts = new TreeMap<>();
            sink.commits.forEach(c -> counts.merge(c.messageId(), 1, Integer::sum));
            List<String> committedBeforeKill = beforeKill.stream().map(SlowSink.Commit::messageId).toList();
            System.out.printf("outbound crash: %d accepted, committed by the remote before SIGKILL (in order): %s, %d transactions"
                    + " waiting for the final reply at the kill, %d commits in all, delivered twice: %s%n", accepted.size(),
                    committedBeforeKill, waitingAtKill, sink.commits.size(),
                    counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList());
            for (String id : accepted) {
                assertTrue(counts.getOrDefault(id, 0) >= 1, "accepted message " + id + " never reached the remote: " + counts);
            }
            assertEquals(accepted.stream().sorted().toList(), List.copyOf(counts.keySet()),
                    "the remote got exactly the accepted messages");
            counts.forEach((id, n) -> {
                if (n > 1) {
                    assertTrue(committedBeforeKill.contains(id), id + " arrived " + n
                            + " times though the remote had not accepted it before the kill: " + counts);
                    assertEquals(1, committedBeforeKill.stream().filter(id::equals).count(),
                            id + " was committed twice before the kill: " + counts);
                }
            });
            assertTrue(counts.values().stream().allMatch(n -> n <= 2), "one crash duplicates at most once: " + counts);
        }
    }

    private static boolean queueSettled(MailfleetServer server) {
        try {
            List<QueuedMessage> all = server.node().queue().list().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return all.stream().allMatch(QueuedMessage::finished);
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A remote MX that handles one final dot at a time, each after {@code delayMillis}, so transactions queue up
     * waiting for their reply. It commits a message (records its Message-ID and when) only when the client is
     * still connected at that moment, as a real server that has not yet noticed a dead peer would.
     */
    static final class SlowSink implements AutoCloseable {

        record Commit(String messageId, long at) {
        }

        final List<Commit> commits = new CopyOnWriteArrayList<>();
        final AtomicInteger waiting = new AtomicInteger();
        /** Reaches zero when the final-dot reply of the given number of messages has been written. */
        final CountDownLatch replied;
        private final long delayMillis;
        private final ReentrantLock oneAtATime = new ReentrantLock(true);
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        SlowSink(long delayMillis, int signalAfterReplies) throws IOException {
            this.delayMillis = delayMillis;
            this.replied = new CountDownLatch(signalAfterReplies);
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            Thread t = new Thread(this::acceptLoop, "slow-sink-accept");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    Thread t = new Thread(() -> session(s), "slow-sink-session");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void session(Socket s) {
            try (s) {
                PushbackInputStream in = new PushbackInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                reply(out, "220 slow.sink.test ESMTP");
                String line;
                while ((line = readLine(in)) != null) {
                    String upper = line.toUpperCase(Locale.ROOT);
                    if (upper.startsWith("EHLO")) {
                        reply(out, "250-slow.sink.test\r\n250 8BITMIME");
                    } else if (upper.startsWith("HELO")) {
                        reply(out, "250 slow.sink.test");
                    } else if (upper.startsWith("MAIL FROM:")) {
                        reply(out, "250 2.1.0 Ok");
                    } else if (upper.startsWith("RCPT TO:")) {
                        reply(out, "250 2.1.5 Ok");
                    } else if (upper.equals("DATA")) {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        String id = messageId(readData(in));
                        waiting.incrementAndGet();
                        oneAtATime.lock();
                        try {
                            Thread.sleep(delayMillis);
                            long at = System.nanoTime();
                            if (!peerAlive(s, in)) {
                                return;
                            }
                            commits.add(new Commit(id, at));
                            reply(out, "250 2.0.0 Ok: queued");
                            replied.countDown();
                        } finally {
                            oneAtATime.unlock();
                            waiting.decrementAndGet();
                        }
                    } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                        reply(out, "250 2.0.0 Ok");
                    } else if (upper.equals("QUIT")) {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    } else {
                        reply(out, "502 5.5.2 Error: command not recognized");
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client died: nothing to record
            }
        }

        /** False once the peer has closed or reset the connection (read gives end of stream or an error). */
        private static boolean peerAlive(Socket s, PushbackInputStream in) throws IOException {
            int timeout = s.getSoTimeout();
            s.setSoTimeout(1);
            try {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                in.unread(b);
                return true;
            } catch (SocketTimeoutException e) {
                return true;
            } catch (IOException e) {
                return false;
            } finally {
                s.setSoTimeout(timeout);
            }
        }

        private static String messageId(byte[] message) {
            String text = new String(message, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            for (String h : (end < 0 ? text : text.substring(0, end)).split("\r\n")) {
                if (h.toLowerCase(Locale.ROOT).startsWith("message-id:")) {
                    return h.substring("message-id:".length()).trim();
                }
            }
            return "(no Message-ID)";
        }

        private static void reply(OutputStream out, String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    return b.toString(StandardCharsets.UTF_8).replaceAll("\r$", "");
                }
                b.write(c);
            }
            return null;
        }

        private static byte[] readData(InputStream in) throws IOException {
            ByteArrayOutputStream msg = new ByteArrayOutputStream();
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    throw new IOException("connection closed in DATA");
                }
                if (line.equals(".")) {
                    return msg.toByteArray();
                }
                msg.writeBytes((line.startsWith(".") ? line.substring(1) : line).concat("\r\n").getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** {@code Main serve} in its own JVM, so the test can SIGKILL it; prints "mailfleet node ... is running". */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final Deque<String> output = new ArrayDeque<>();
        private final CountDownLatch running = new CountDownLatch(1);

        private Child(Process process) {
            this.process = process;
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (output) {
                            output.addLast(line);
                            if (output.size() > 200) {
                                output.removeFirst();
                            }
                        }
                        if (line.startsWith("mailfleet node ") && line.contains(" is running")) {
                            running.countDown();
                        }
                    }
                } catch (IOException e) {
                    // killed: the output ends
                }
            }, "outbound-child-output");
            pump.setDaemon(true);
            pump.start();
        }

        static Child start(Map<String, String> env) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), "io.mailfleet.cli.Main", "serve",
                    "--data", env.get("MAILFLEET_DATA"), "--create-account", USER, "--password", PASSWORD)
                    .redirectErrorStream(true);
            pb.environment().putAll(env);
            TestClusterCredentials.provision(env);
            Child child = new Child(pb.start());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!child.running.await(200, TimeUnit.MILLISECONDS)) {
                if (!child.process.isAlive() || System.nanoTime() > deadline) {
                    child.close();
                    throw new AssertionError("child node not running:\n" + child.output());
                }
            }
            return child;
        }

        String output() {
            synchronized (output) {
                return String.join("\n", output);
            }
        }

        /** SIGKILL ({@code destroyForcibly} on Linux) and wait until the process is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("child node did not die after SIGKILL");
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                kill();
            }
        }
    }
}
