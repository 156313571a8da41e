package io.mailfleet.server;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.srs.Srs;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A remote server's bounce to one of our SRS addresses is accepted at RCPT (a forged one is refused)
 * and queued; the queue reverses it to the original sender.
 */
class SrsBounceEndToEndTest {

    @TempDir
    Path data;

    @Test
    void bounceToOurSrsAddressIsAcceptedAtRcptAndQueued() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("ENABLE_SRS", "1", "SRS_SECRET", "shared-secret"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("sender@example.com", "secret-pw", false))) {
            server.node().directory().apply(new DirectoryChange.AddAccount("user@other.test", PasswordSchemes.hash("pw")))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            QueueControlEndToEndTest.waitFor(() -> server.node().directory().view().account("user@other.test").isPresent());
            // What another node of the cluster (same SRS_SECRET) made when it forwarded mail of user@other.test.
            Srs srs = new Srs(List.of("shared-secret"), Set.of(), Srs.DEFAULT_MAX_AGE_DAYS, Clock.systemUTC());
            String srsAddress = srs.forward("user@other.test", "example.com");
            String forged = srsAddress.replaceFirst("SRS0=[^=]+=", "SRS0=ABCD=");
            int port = server.listeners().smtpPorts().get(SmtpMode.MX);
            try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, port, 30_000)) {
                smtp.expect("220");
                smtp.send("EHLO mx.far.example").expect("250");
                smtp.send("MAIL FROM:<>").expect("250");
                smtp.send("RCPT TO:<" + forged + ">").expect("550");
                smtp.send("RCPT TO:<" + srsAddress + ">").expect("250");
                smtp.send("DATA").expect("354");
                String queued = smtp.send("From: MAILER-DAEMON@mx.far.example\r\nTo: <" + srsAddress + ">\r\n"
                        + "Subject: Undelivered Mail Returned to Sender\r\n\r\nsrs-bounce-marker\r\n.").expect("250");
                // Accepted for the queue, which sends it on to user@other.test (reversal at expansion).
                assertTrue(queued.contains("queued as"), queued);
                smtp.send("QUIT");
            }
            String delivered = QueueControlEndToEndTest.awaitMessage(server, "user@other.test", "srs-bounce-marker");
            assertTrue(delivered.contains("srs-bounce-marker"), delivered);
        }
    }
}
