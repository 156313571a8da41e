package io.mailfleet.server.crash;

import io.mailfleet.server.TestClusterCredentials;
import io.mailfleet.server.TestServers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Mailfleet node running {@code Main serve} in its own JVM, so a test can SIGKILL it mid-transaction.
 * Every port is concrete (never 0) so the test knows where to connect without asking the child.
 */
final class ChildNode implements AutoCloseable {

    static final String ACCOUNT = "user@example.com";
    static final String PASSWORD = "secret-pw";
    // A first start also makes the node's cluster CA and certificate (two RSA-3072 keys): on a busy
    // two-core machine a cold JVM took over a minute to be ready.
    private static final long START_TIMEOUT_SECONDS = 150;
    private static final int KEPT_OUTPUT_LINES = 200;

    private final Process process;
    private final Map<String, String> env;
    private final Deque<String> output = new ArrayDeque<>();
    private final CountDownLatch running = new CountDownLatch(1);
    /** Some output line, kept or not, named an OutOfMemoryError. */
    private volatile boolean outOfMemory;

    private ChildNode(Process process, Map<String, String> env) {
        this.process = process;
        this.env = env;
        Thread pump = new Thread(this::pumpOutput, "child-node-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** The environment of a node storing under {@code data}, every port concrete and on loopback. */
    static Map<String, String> env(Path data, Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>(TestServers.env(data, Map.of()));
        env.put("MAILFLEET_SMTP_PORT", Integer.toString(TestServers.freePort()));
        env.put("MAILFLEET_SUBMISSION_PORT", Integer.toString(TestServers.freePort()));
        env.put("MAILFLEET_SUBMISSIONS_PORT", Integer.toString(TestServers.freePort()));
        env.putAll(extra);
        return env;
    }

    /**
     * Starts {@code Main serve} with {@code -Xmx<heapMb>m}, creating {@link #ACCOUNT}, and waits until it
     * runs. A port taken by another process between choosing and binding it gets new ports and another
     * try; {@link #env()} is the environment that finally ran.
     */
    static ChildNode start(Map<String, String> env, int heapMb) throws Exception {
        return start(env, heapMb, null);
    }

    /** {@link #start(Map, int)} under the file mode creation mask {@code umask} (e.g. "022"), set by bash before exec. */
    static ChildNode start(Map<String, String> env, int heapMb, String umask) throws Exception {
        Map<String, String> current = env;
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(current, heapMb, umask);
            } catch (PortTakenError e) {
                if (attempt == 3) {
                    throw e;
                }
                Map<String, String> fresh = env(Path.of(env.get("MAILFLEET_DATA")), Map.of());
                current = new HashMap<>(env);
                for (String key : List.of("MAILFLEET_SMTP_PORT", "MAILFLEET_SUBMISSION_PORT", "MAILFLEET_SUBMISSIONS_PORT",
                        "MAILFLEET_MANAGEMENT_PORT", "MAILFLEET_CLUSTER_PORT", "MAILFLEET_CLUSTER_MANAGEMENT_PORT")) {
                    current.put(key, fresh.get(key));
                }
            }
        }
    }

    /** The child could not bind a port chosen as free a moment earlier. */
    private static final class PortTakenError extends AssertionError {
        PortTakenError(String message) {
            super(message);
        }
    }

    private static ChildNode startOnce(Map<String, String> env, int heapMb, String umask) throws Exception {
        return startServe(env, heapMb, umask,
                List.of("--data", env.get("MAILFLEET_DATA"), "--create-account", ACCOUNT, "--password", PASSWORD));
    }

    /** Starts {@code Main serve <serveArgs>} once, with the ports of {@code env}, and waits until it runs. */
    static ChildNode startServe(Map<String, String> env, int heapMb, String umask, List<String> serveArgs)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and the serial collector: the child starts about three times faster on two cores
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heapMb + "m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.mailfleet.cli.Main", "serve"));
        cmd.addAll(serveArgs);
        if (umask != null) {
            cmd.addAll(0, List.of("bash", "-c", "umask " + umask + " && exec \"$@\"", "bash"));
        }
        if (umask == null) {
            // the umask test proves the node's own files are private, the credentials it makes included
            TestClusterCredentials.provision(env);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        ChildNode node = new ChildNode(pb.start(), env);
        try {
            node.awaitRunning();
            return node;
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    private void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (running.await(200, TimeUnit.MILLISECONDS)) {
                return;
            }
            if (!process.isAlive()) {
                String out = output();
                if (out.contains("Address already in use")) {
                    throw new PortTakenError("child node could not bind its ports:\n" + out);
                }
                throw new AssertionError("child node exited with " + process.exitValue() + " before running:\n" + output());
            }
        }
        throw new AssertionError("child node not running after " + START_TIMEOUT_SECONDS + " s:\n" + output());
    }

    private void pumpOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > KEPT_OUTPUT_LINES) {
                        output.removeFirst();
                    }
                }
                if (line.contains("OutOfMemoryError")) {
                    outOfMemory = true;
                }
                if (line.startsWith("mailfleet node ") && line.contains(" is running")) {
                    running.countDown();
                }
            }
        } catch (IOException e) {
            // the child was killed: its output simply ends
        }
    }

    /** The environment the child runs with; a restart on the same data directory uses it too. */
    Map<String, String> env() {
        return env;
    }

    int smtpPort() {
        return Integer.parseInt(env.get("MAILFLEET_SMTP_PORT"));
    }

    /** The last lines the child printed, for failure messages. */
    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** True when the child printed an {@code OutOfMemoryError} at any time (not only in the kept lines). */
    boolean sawOutOfMemory() {
        return outOfMemory;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code seconds} for the child to exit by itself; its exit code, or -1 if it still runs. */
    int awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL (on Linux {@code destroyForcibly} is {@code kill -9}) and wait until the process is gone. */
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
