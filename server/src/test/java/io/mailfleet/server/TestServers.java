package io.mailfleet.server;

import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.MailfleetConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts real single-node servers for end-to-end tests, every port free and on loopback. */
public final class TestServers {

    /** The system property naming this JVM's Surefire fork number (1, 2, ...) when forks run in parallel. */
    public static final String FORK_PROPERTY = "mailfleet.test.fork";
    private static final int FORK_PORT_BASE = 20000;
    private static final int FORK_BLOCK_SIZE = 3000;
    private static final int FORK_BLOCKS = 4;
    /** Starts at a random place in the block: a rerun soon after does not meet ports still in TIME_WAIT. */
    private static final AtomicInteger NEXT_IN_BLOCK = new AtomicInteger(ThreadLocalRandom.current().nextInt(FORK_BLOCK_SIZE));

    private TestServers() {
    }

    /** Environment of a node storing under {@code data}; {@code extra} overrides any key. */
    public static Map<String, String> env(Path data, Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("MAILFLEET_DATA", data.toString());
        env.put("OVERRIDE_HOSTNAME", "mail.example.com");
        env.put("MAILFLEET_BIND_ADDRESS", "127.0.0.1");
        env.put("MAILFLEET_SMTP_PORT", "0");
        env.put("MAILFLEET_SUBMISSION_PORT", "0");
        env.put("MAILFLEET_SUBMISSIONS_PORT", "0");
        env.put("MAILFLEET_MANAGEMENT_PORT", Integer.toString(freePort()));
        env.put("MAILFLEET_CLUSTER_PORT", Integer.toString(freePort()));
        env.put("MAILFLEET_CLUSTER_MANAGEMENT_PORT", Integer.toString(freePort()));
        env.put("MAILFLEET_IMAP_PORT", "0");
        env.put("MAILFLEET_IMAPS_PORT", "0");
        env.put("ENABLE_POP3", "1");
        env.put("MAILFLEET_POP3_PORT", "0");
        env.put("MAILFLEET_POP3S_PORT", "0");
        env.put("ENABLE_MANAGESIEVE", "1");
        env.put("MAILFLEET_MANAGESIEVE_PORT", "0");
        // SPF (on by default) would ask the system's DNS about every test sender; tests of it turn it on
        env.put("ENABLE_POLICYD_SPF", "0");
        // likewise DKIM verification would add Authentication-Results to mail from untrusted test clients
        env.put("ENABLE_OPENDKIM", "0");
        // `serve` alone would choose a self-signed certificate, and stop a node that has no account after 120 s
        env.put("SSL_TYPE", "");
        env.put("MAILFLEET_NO_ACCOUNT_WAIT", "forever");
        env.putAll(extra);
        return env;
    }

    public static MailfleetServer start(Map<String, String> env, FirstAccount first) throws Exception {
        LoadedConfig loaded = MailfleetConfig.load(null, env);
        TestClusterCredentials.provision(loaded.settings().cluster());
        return MailfleetServer.start(loaded, first);
    }

    /**
     * A port free now, for a setting that cannot be 0. Under parallel Surefire forks
     * ({@value #FORK_PROPERTY} set to the fork number) every fork takes its ports from its own block
     * below Linux's ephemeral range, so a port one fork probed and released is never the next one
     * another fork gets; a single JVM asks the kernel for any free port.
     */
    public static int freePort() throws IOException {
        int fork = forkNumber();
        if (fork <= 0) {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
        int base = FORK_PORT_BASE + ((fork - 1) % FORK_BLOCKS) * FORK_BLOCK_SIZE;
        for (int tries = 0; tries < FORK_BLOCK_SIZE; tries++) {
            int port = base + Math.floorMod(NEXT_IN_BLOCK.getAndIncrement(), FORK_BLOCK_SIZE);
            if (free(port)) {
                return port;
            }
        }
        throw new IOException("no free port left in " + base + ".." + (base + FORK_BLOCK_SIZE - 1) + " for fork " + fork);
    }

    /** This JVM's fork number from {@value #FORK_PROPERTY} ("fork-2" -> 2), 0 when not set. */
    private static int forkNumber() {
        String digits = System.getProperty(FORK_PROPERTY, "").replaceAll("\\D", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }

    private static boolean free(int port) {
        // bound on every address, as strict as any listener a test node opens on the port
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
