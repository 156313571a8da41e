package io.mailfleet.server.scan;

import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ENABLE_CLAMAV=1 on a whole node against a real clamd (EICAR signature built with sigtool): a virus is
 * refused before the 250 naming it, clean mail is delivered, a 20 MB message is streamed whole, and a
 * clamd that is down or hangs defers the message (451 4.7.1) or, fail-open, lets it through.
 */
class ClamavEndToEndTest {

    private static final String VIRUS_REPLY = "554 5.7.1 Virus found: " + Clamd.SIGNATURE + ".UNOFFICIAL"; // clamd marks signatures not its own

    @TempDir
    static Path daemons;
    private static Clamd clamd;
    @TempDir
    Path data;

    @BeforeAll
    static void startClamd() throws Exception {
        clamd = Clamd.start(daemons);
    }

    @AfterAll
    static void stopClamd() throws Exception {
        if (clamd != null) {
            clamd.close();
        }
    }

    private static MailfleetServer start(Map<String, String> env) throws Exception {
        return TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false));
    }

    @Test
    void aVirusIsRefusedByNameCleanMailIsDeliveredAndTwentyMegabytesAreStreamedWhole() throws Exception {
        Map<String, String> env = ScanMail.env(data, Map.of("ENABLE_CLAMAV", "1",
                "MAILFLEET_CLAMAV_ADDRESS", clamd.address(), "POSTFIX_MESSAGE_SIZE_LIMIT", "40000000",
                "TRUSTED_NETWORKS", "127.0.0.2/32"), "");
        try (MailfleetServer server = start(env)) {
            assertEquals(VIRUS_REPLY, ScanMail.send(server, ScanMail.message("infected", "see attached", Clamd.EICAR)));
            // a trusted client's mail is scanned too: viruses come from colleagues' laptops as well
            assertEquals(VIRUS_REPLY, ScanMail.send(server, "127.0.0.2",
                    ScanMail.message("trusted", "see attached", Clamd.EICAR)));
            assertTrue(ScanMail.send(server, ScanMail.message("clean", "hello", "just text")).startsWith("250 2.0.0 Ok: queued"));

            // 20 MB of text with the virus in an attachment at its very end: found only if every chunk reached clamd
            StringBuilder big = new StringBuilder(21 * 1024 * 1024);
            String line = "a line of ordinary text that fills the message up to twenty megabytes....\r\n";
            while (big.length() < 20 * 1024 * 1024) {
                big.append(line);
            }
            assertEquals(VIRUS_REPLY, ScanMail.send(server, ScanMail.message("big", big.toString(), Clamd.EICAR)));

            List<String> inbox = ScanMail.await(server, "INBOX", 1);
            assertEquals(1, inbox.size());
            assertTrue(inbox.get(0).contains("Subject: clean"), inbox.get(0));
            String metrics = ScanMail.metrics(env);
            assertTrue(metrics.contains("mailfleet_scanner_calls_total{outcome=\"answered\",scanner=\"clamav\"} 4.0"),
                    metrics);
            assertTrue(metrics.contains("mailfleet_scanner_call_seconds_count{scanner=\"clamav\"} 4"), metrics);
        }
    }

    @Test
    void overTheSizeLimitIsNotScanned() throws Exception {
        Map<String, String> env = ScanMail.env(data, Map.of("ENABLE_CLAMAV", "1",
                "MAILFLEET_CLAMAV_ADDRESS", clamd.address(), "CLAMAV_MESSAGE_SIZE_LIMIT", "2K"), "");
        try (MailfleetServer server = start(env)) {
            assertEquals(VIRUS_REPLY, ScanMail.send(server, ScanMail.message("small", "x", Clamd.EICAR)));
            String large = ScanMail.message("large", ("y".repeat(70) + "\r\n").repeat(40), Clamd.EICAR);
            String reply = ScanMail.send(server, large);
            assertTrue(reply.startsWith("250 2.0.0 Ok: queued"), reply);
            assertTrue(ScanMail.await(server, "INBOX", 1).get(0).contains("Subject: large"));
        }
    }

    @Test
    void overItsUnixSocketAndThenDownTheMessageIsDeferred() throws Exception {
        Clamd own = Clamd.start(data.resolveSibling(data.getFileName() + "-clamd"));
        Map<String, String> env = ScanMail.env(data, Map.of("ENABLE_CLAMAV", "1",
                "MAILFLEET_CLAMAV_ADDRESS", own.socket.toString()), "");
        try (MailfleetServer server = start(env)) {
            assertEquals(VIRUS_REPLY, ScanMail.send(server, ScanMail.message("infected", "see attached", Clamd.EICAR)));
            own.close();
            assertEquals("451 4.7.1 Virus scan unavailable, try again later",
                    ScanMail.send(server, ScanMail.message("later", "see attached", Clamd.EICAR)));
            assertTrue(ScanMail.metrics(env).contains(
                    "mailfleet_scanner_calls_total{outcome=\"error\",scanner=\"clamav\"} 1.0"));
        } finally {
            own.close();
        }
    }

    @Test
    void failOpenAcceptsUnscannedWhenClamdIsDown() throws Exception {
        int dead = TestServers.freePort();
        Map<String, String> env = ScanMail.env(data, Map.of("ENABLE_CLAMAV", "1",
                "MAILFLEET_CLAMAV_ADDRESS", "127.0.0.1:" + dead), "mailfleet.clamav.fail-open = true\n");
        try (MailfleetServer server = start(env)) {
            assertTrue(ScanMail.send(server, ScanMail.message("unscanned", "hello", null)).startsWith("250 2.0.0 Ok: queued"));
            assertTrue(ScanMail.await(server, "INBOX", 1).get(0).contains("Subject: unscanned"));
        }
    }

    @Test
    void aHangingScannerTimesOutThenItsCircuitOpens() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket hang = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(hang.accept()); // reads nothing, answers nothing
                        accepted.incrementAndGet();
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> env = ScanMail.env(data, Map.of("ENABLE_CLAMAV", "1",
                    "MAILFLEET_CLAMAV_ADDRESS", "127.0.0.1:" + hang.getLocalPort()),
                    "mailfleet.clamav.timeout = 1s\nmailfleet.scanners.breaker-failures = 1\n"
                            + "mailfleet.scanners.breaker-open-for = 1h\n");
            try (MailfleetServer server = start(env)) {
                String message = ScanMail.message("hang", "hello", null);
                assertEquals("451 4.7.1 Virus scan unavailable, try again later", ScanMail.send(server, message));
                // the circuit is open: the next message is deferred without another connection to the scanner
                assertEquals("451 4.7.1 Virus scan unavailable, try again later", ScanMail.send(server, message));
                assertEquals(1, accepted.get());
                String metrics = ScanMail.metrics(env);
                assertTrue(metrics.contains("mailfleet_scanner_calls_total{outcome=\"timeout\",scanner=\"clamav\"} 1.0"), metrics);
                assertTrue(metrics.contains("mailfleet_scanner_calls_total{outcome=\"circuit_open\",scanner=\"clamav\"} 1.0"), metrics);
                assertTrue(metrics.contains("mailfleet_scanner_circuit_open{scanner=\"clamav\"} 1.0"), metrics);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
