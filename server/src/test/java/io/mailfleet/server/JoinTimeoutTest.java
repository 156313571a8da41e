package io.mailfleet.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node that cannot join its cluster refuses to start, with the cause, and never opens a mail port. */
class JoinTimeoutTest {

    @TempDir
    Path data;

    @Test
    void unreachableSeedsStopStartUpWithAClearMessageAndNoListener() throws Exception {
        int deadSeed = TestServers.freePort();
        int smtp = TestServers.freePort();
        Map<String, String> env = TestServers.env(data, Map.of(
                "MAILFLEET_SEED_NODES", "127.0.0.1:" + deadSeed,
                "MAILFLEET_CLUSTER_JOIN_TIMEOUT", "3s",
                "MAILFLEET_SMTP_PORT", Integer.toString(smtp)));
        Exception e = assertThrows(Exception.class, () -> TestServers.start(env, null).close());
        String message = String.valueOf(e.getMessage()) + " / " + e.getCause();
        assertTrue(message.contains("did not become a member of a cluster within 3 s (mailfleet.cluster.join-timeout)"),
                message);
        assertTrue(message.contains("127.0.0.1:" + deadSeed), "the message names the seeds: " + message);
        try (Socket s = new Socket("127.0.0.1", smtp)) {
            throw new AssertionError("the MX port must not have been opened");
        } catch (java.net.ConnectException expected) {
            // nothing listens: the listeners were never started
        }
    }
}
