package io.mailfleet.server;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 5321 §4.5.1: {@code RCPT TO:<postmaster>} without a domain must be accepted (any case); it reaches the
 * mailbox of {@code POSTMASTER_ADDRESS}. Over a plain socket to a real node (issue 12: it got 550 5.1.1).
 */
class PostmasterEndToEndTest {

    @TempDir
    Path data;

    @Test
    void barePostmasterIsAcceptedAndDeliveredToThePostmasterAddress() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("POSTMASTER_ADDRESS", "admin@example.com"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("admin@example.com", "secret", false))) {
            int port = server.listeners().smtpPorts().get(SmtpMode.MX);
            for (String rcpt : List.of("postmaster", "PostMaster")) {
                try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, port, 30_000)) {
                    smtp.expect("220");
                    smtp.send("EHLO client.remote.example").expect("250");
                    smtp.send("MAIL FROM:<sender@remote.example>").expect("250");
                    smtp.send("RCPT TO:<" + rcpt + ">").expect("250");
                    smtp.send("DATA").expect("354");
                    smtp.send("Subject: to " + rcpt + "\r\n\r\nhello postmaster\r\n.").expect("250");
                    smtp.send("QUIT").expect("221");
                }
            }
            List<MessageMeta> inbox = SmtpDeliveryEndToEndTest.awaitInbox(server, "admin@example.com", 2);
            int found = 0;
            for (MessageMeta meta : inbox) {
                try (InputStream in = server.blobs().open(meta.blob())) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    found += text.contains("Subject: to postmaster") || text.contains("Subject: to PostMaster") ? 1 : 0;
                }
            }
            assertTrue(found == 2, "both messages to <postmaster> are in admin@example.com's INBOX: " + found);
        }
    }
}
