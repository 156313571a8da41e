package io.mailfleet.server.outbound;

import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestCa;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node with {@code MAILFLEET_OUTBOUND_TLS_LEVEL=verify}, a CA file and a {@code postfix-tls-policy.cf}:
 * remote MXes (sinks on 127.0.0.x) with certificates from a test CA get mail only when the level's
 * checks pass; a wrong certificate name keeps the mail deferred without sending it.
 */
class OutboundTlsDeliveryTest {

    @TempDir
    Path data;

    @Test
    void globalVerifyWithAPolicyFileException() throws Exception {
        TestCa ca = new TestCa("Mailfleet Test CA");
        Path pem = ca.writePem(data.resolve("outbound-ca.pem"));
        Files.createDirectories(data.resolve("config"));
        Files.write(data.resolve("config").resolve(RelayFiles.TLS_POLICY), List.of("plain.example may"));
        try (SinkSmtpServer verified = new SinkSmtpServer(InetAddress.getByName("127.0.0.7"), 0);
             SinkSmtpServer wrongName = new SinkSmtpServer(InetAddress.getByName("127.0.0.8"), verified.port());
             SinkSmtpServer plain = new SinkSmtpServer(InetAddress.getByName("127.0.0.9"), verified.port());
             TestDnsServer dns = new TestDnsServer()
                     .mx("verified.example", 10, "mx.verified.example").a("mx.verified.example", "127.0.0.7")
                     .mx("wrongname.example", 10, "mx.wrongname.example").a("mx.wrongname.example", "127.0.0.8")
                     .mx("plain.example", 10, "mx.plain.example").a("mx.plain.example", "127.0.0.9")) {
            verified.starttls = true;
            verified.tlsContext = ca.server("mx.verified.example");
            wrongName.starttls = true;
            wrongName.tlsContext = ca.server("mx.elsewhere.example");
            plain.starttls = false;
            MailfleetServer server = TestServers.start(TestServers.env(data, Map.of(
                    "MAILFLEET_DNS_SERVER", "127.0.0.1:" + dns.settings(Duration.ofSeconds(2)).server().getPort(),
                    "MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(verified.port()),
                    "MAILFLEET_OUTBOUND_TLS_LEVEL", "verify",
                    "MAILFLEET_OUTBOUND_TLS_CA_FILE", pem.toString(),
                    "MAILFLEET_RETRY_FIRST", "1s",
                    "MAILFLEET_RETRY_MAX", "2s",
                    "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s")),
                    new FirstAccount("sender@example.com", "secret-password", false));
            try {
                int port = server.listeners().smtpPorts().get(SmtpMode.SUBMISSION);
                try (Wire c = Smtp.submission(port, "sender@example.com", "secret-password")) {
                    for (String rcpt : List.of("a@verified.example", "b@wrongname.example", "c@plain.example")) {
                        Smtp.submit(c, "<sender@example.com>", List.of("<" + rcpt + ">"),
                                "From: sender@example.com\r\nTo: " + rcpt + "\r\nSubject: tls\r\n\r\nhello\r\n");
                    }
                }
                OutboundDeliveryTest.waitFor(() -> verified.received.size() == 1 && plain.received.size() == 1);
                assertTrue(verified.received.get(0).tls(), "verified over TLS");
                assertFalse(plain.received.get(0).tls(), "the policy file's may for plain.example");
                // The wrong name is tried again (deferred, retried) and never gets the message.
                OutboundDeliveryTest.waitFor(() -> wrongName.commands.stream().filter("STARTTLS"::equals).count() >= 2);
                assertEquals(0, wrongName.received.size());
                assertTrue(wrongName.commands.stream().noneMatch(x -> x.startsWith("MAIL")), wrongName.commands.toString());
            } finally {
                server.close();
            }
        }
    }
}
