package io.mailfleet.server.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code Main serve} in its own JVM whose output the test can read, whether or not the node ever runs. */
final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = new ArrayList<>();

    private NodeProcess(Process process) {
        this.process = process;
        Thread pump = new Thread(this::pump, "node-process-output");
        pump.setDaemon(true);
        pump.start();
    }

    static NodeProcess start(Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(NodeJvm.get().command(List.of("serve"))).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new NodeProcess(pb.start());
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException e) {
            // the process was killed: its output ends
        }
    }

    /** Everything the node printed so far. */
    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Waits until the output contains {@code text}; false at the timeout or when the process ended without it. */
    boolean awaitOutput(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return output().contains(text);
            }
            Thread.sleep(200);
        }
        return false;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGTERM and waits for the exit: a node that joined leaves the cluster, so the node it joined stops
     * without first waiting out an unreachable member (failure detection, the split-brain resolver and
     * a timed-out cluster-exiting phase, some 15 s). Falls back to SIGKILL after 60 s.
     */
    void leave() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
