package io.mailfleet.bench;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** What every benchmark's in-process node shares: a loopback-only environment, its log file, cleanup. */
final class BenchNodes {

    /** Where {@link #freePort} looks: below the test forks' ports (20000..31999) and the ephemeral range. */
    private static final int PROBE_BASE = 15000;
    private static final int PROBE_RANGE = 5000;

    private BenchNodes() {
    }

    /**
     * The environment of a node storing under {@code data}, listening only on loopback with every mail
     * port free (0) and off IMAP; {@code MAILFLEET_CONFIG} is passed through so a run can compare
     * storage settings (e.g. PostgreSQL).
     */
    static Map<String, String> loopbackEnv(Path data) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("MAILFLEET_DATA", data.toString());
        env.put("OVERRIDE_HOSTNAME", "bench.example.com");
        env.put("MAILFLEET_BIND_ADDRESS", "127.0.0.1");
        for (String k : new String[] {"MAILFLEET_SMTP_PORT", "MAILFLEET_SUBMISSION_PORT", "MAILFLEET_SUBMISSIONS_PORT",
                "MAILFLEET_IMAP_PORT", "MAILFLEET_IMAPS_PORT"}) {
            env.put(k, "0");
        }
        for (String k : new String[] {"MAILFLEET_MANAGEMENT_PORT", "MAILFLEET_CLUSTER_PORT",
                "MAILFLEET_CLUSTER_MANAGEMENT_PORT"}) {
            env.put(k, Integer.toString(freePort()));
        }
        env.put("ENABLE_IMAP", "0");
        // every load connection comes from 127.0.0.1: the per-client limit is not what is measured
        env.put("MAILFLEET_SMTP_CLIENT_CONNECTION_LIMIT", "0");
        env.put("MAILFLEET_TLS_HANDSHAKES_PER_ADDRESS", "0");
        String cfg = System.getenv("MAILFLEET_CONFIG");
        if (cfg != null && !cfg.isBlank()) {
            env.put("MAILFLEET_CONFIG", cfg);
        }
        return env;
    }

    /** The node's per-message log lines are part of the cost measured, but go to a file, not the report. */
    static void logTo(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level %logger{24} - %msg%n");
        enc.start();
        FileAppender<ILoggingEvent> app = new FileAppender<>();
        app.setContext(ctx);
        app.setName("bench-file");
        app.setFile(file.toString());
        app.setEncoder(enc);
        app.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(app);
    }

    /**
     * A port free now for a setting that cannot be 0. It is taken below Linux's ephemeral range (and
     * below the test forks' blocks of {@code TestServers}): a port the kernel hands out for a bind to 0
     * could be handed out again, to another process's connection or listener, between this probe and
     * the node's bind; one from here is only ever taken by someone asking for it by number.
     */
    static int freePort() throws IOException {
        for (int tries = 0; tries < PROBE_RANGE; tries++) {
            int port = PROBE_BASE + ThreadLocalRandom.current().nextInt(PROBE_RANGE);
            // bound on every address, as strict as the node's own listener on the port
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IOException("no free port in " + PROBE_BASE + ".." + (PROBE_BASE + PROBE_RANGE - 1));
    }

    static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("bench: could not delete " + root + ": " + e.getMessage());
        }
    }
}
