package io.mailfleet.server;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.srs.Srs;
import io.mailfleet.protocols.smtp.SmtpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(30_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                expect(in, "220");
                send(out, "EHLO mx.far.example");
                expect(in, "250");
                send(out, "MAIL FROM:<>");
                expect(in, "250");
                send(out, "RCPT TO:<" + forged + ">");
                expect(in, "550");
                send(out, "RCPT TO:<" + srsAddress + ">");
                expect(in, "250");
                send(out, "DATA");
                expect(in, "354");
                send(out, "From: MAILER-DAEMON@mx.far.example\r\nTo: <" + srsAddress + ">\r\n"
                        + "Subject: Undelivered Mail Returned to Sender\r\n\r\nsrs-bounce-marker\r\n.");
                String queued = expect(in, "250");
                // Accepted for the queue, which sends it on to user@other.test (reversal at expansion).
                assertTrue(queued.contains("queued as"), queued);
                send(out, "QUIT");
            }
            String delivered = QueueControlEndToEndTest.awaitMessage(server, "user@other.test", "srs-bounce-marker");
            assertTrue(delivered.contains("srs-bounce-marker"), delivered);
        }
    }

    private static void send(OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one (possibly multi-line) reply and checks its code. */
    private static String expect(BufferedReader in, String code) throws Exception {
        String line;
        StringBuilder all = new StringBuilder();
        do {
            line = in.readLine();
            if (line == null) {
                throw new AssertionError("connection closed, expected " + code + " after: " + all);
            }
            all.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        assertTrue(line.startsWith(code), "expected " + code + " but got: " + all);
        return all.toString();
    }
}
