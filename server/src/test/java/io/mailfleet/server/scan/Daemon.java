package io.mailfleet.server.scan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A scanner daemon a test runs on loopback: its process, its log, and a wait until it listens. */
final class Daemon implements AutoCloseable {

    private final Process process;
    private final Path log;

    private Daemon(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with its output in {@code log} and waits until it accepts on {@code port}. */
    static Daemon start(List<String> command, Path log, int port) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Daemon d = new Daemon(p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError(command.get(0) + " exited with " + p.exitValue() + ": " + d.log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return d;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        d.close();
        throw new AssertionError(command.get(0) + " did not listen on " + port + ": " + d.log());
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Kills the daemon (and its workers) and waits for it to end. */
    @Override
    public void close() throws Exception {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
