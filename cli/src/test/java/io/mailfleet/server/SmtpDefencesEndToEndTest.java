package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.testkit.Wire;
import io.mailfleet.protocols.smtp.SmtpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The defences wired into a real node from docker-mailserver's variables: greylisting on port 25 but
 * not on submission, the connection rate limit over every SMTP port, and the operator seeing it over
 * JMX and listing and resetting it with the CLI (through the management API).
 */
class SmtpDefencesEndToEndTest {

    @TempDir
    Path data;

    /** A plain SMTP connection from 127.0.0.1 (untrusted: the test sets TRUSTED_NETWORKS without it). */
    private static final class Client implements AutoCloseable {
        private final Wire wire;

        Client(int port) throws IOException {
            wire = Wire.connect(Wire.Protocol.SMTP, port, 20_000);
        }

        /** The last line of the next (possibly multi-line) reply. */
        String reply() throws IOException {
            String reply = wire.smtpReply();
            if (reply == null) {
                throw new IOException("connection closed");
            }
            return reply.substring(reply.lastIndexOf('\n') + 1);
        }

        String command(String line) throws IOException {
            wire.send(line);
            return reply();
        }

        @Override
        public void close() throws IOException {
            wire.close();
        }
    }

    @Test
    void greylistingOnPort25OnlyAndTheConnectionLimitListedAndResetByTheOperator() throws Exception {
        // an explicit TRUSTED_NETWORKS replaces the loopback default, so 127.0.0.1 is an Internet client here
        Map<String, String> env = TestServers.env(data, Map.of("ENABLE_POSTGREY", "1", "POSTGREY_DELAY", "600",
                "MAILFLEET_CLIENT_CONNECTION_RATE", "5", "TRUSTED_NETWORKS", "192.0.2.1/32"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("alice@example.com", "secret-pw", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            int submission = server.listeners().smtpPorts().get(SmtpMode.SUBMISSION);
            try (Client c = new Client(mx)) {
                assertTrue(c.reply().startsWith("220 "));
                c.command("EHLO client.example.org");
                assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<news@sender.example>"));
                assertEquals("451 4.7.1 Delayed by Postgrey", c.command("RCPT TO:<alice@example.com>"));
            }
            try (Client c = new Client(submission)) {
                assertTrue(c.reply().startsWith("220 "));
                c.command("EHLO laptop.example.org");
                String plain = Base64.getEncoder().encodeToString("\0alice@example.com\0secret-pw"
                        .getBytes(StandardCharsets.UTF_8));
                assertTrue(c.command("AUTH PLAIN " + plain).startsWith("235 "));
                assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<alice@example.com>"));
                assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<alice@example.com>"), "no greylisting on submission");
            }
            for (int i = 3; i <= 5; i++) {
                try (Client c = new Client(i % 2 == 0 ? mx : submission)) {
                    assertTrue(c.reply().startsWith("220 "), "connection " + i);
                }
            }
            try (Client c = new Client(mx)) {
                assertEquals("421 4.7.0 mail.example.com Error: too many connections from 127.0.0.1", c.reply());
            }

            CliRun list = CliRun.cli(env, "rate-limits", "list");
            assertEquals(0, list.code(), list.toString());
            assertTrue(list.out().contains("127.0.0.1") && list.out().contains("client-connections")
                    && list.out().contains("5/60s"), list.out());
            javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            java.util.Set<javax.management.ObjectName> beans =
                    jmx.queryNames(new javax.management.ObjectName("io.mailfleet:type=RateLimits,*"), null);
            assertEquals(1, beans.size(), beans.toString());
            String[] limited = (String[]) jmx.getAttribute(beans.iterator().next(), "Limited");
            assertEquals(1, limited.length);
            assertTrue(limited[0].startsWith("127.0.0.1 client-connections 5/60s 1 "), limited[0]);

            CliRun reset = CliRun.cli(env, "rate-limits", "reset", "127.0.0.1");
            assertEquals(0, reset.code(), reset.toString());
            assertEquals("INFO: 1 counters of 127.0.0.1 reset\n", reset.out());
            try (Client c = new Client(mx)) {
                assertTrue(c.reply().startsWith("220 "), "connections again after the reset");
            }
            CliRun empty = CliRun.cli(env, "rate-limits");
            assertEquals("No client or account is rate-limited\n", empty.out());
        }
    }
}
