package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.ConnectionAdmission;
import io.mailfleet.protocols.netty.ConnectionLimits;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared connection admission on SMTP listeners over real sockets: login timeout and TLS handshake limit. */
class SmtpConnectionAdmissionTest {

    @TempDir
    Path dir;

    private static AcceptGuard guard(int handshakes, Duration loginTimeout) {
        return AcceptGuard.none().withAdmission(new ConnectionAdmission(
                new ConnectionLimits(0, handshakes, 0, loginTimeout)));
    }

    @Test
    void submissionWithoutLoginIsClosedAtTheLoginTimeoutButPort25AndLoggedInSessionsStay() throws Exception {
        try (SmtpFixture f = new SmtpFixture(dir, true)) {
            AcceptGuard guard = guard(0, Duration.ofSeconds(1));
            int submission = f.start(SmtpFixture.settings(SmtpMode.SUBMISSION), guard, 0).port();
            int mx = f.start(SmtpFixture.settings(SmtpMode.MX), guard, 0).port();
            try (Wire idle = Wire.smtp(submission);
                 Wire loggedIn = Wire.smtp(submission);
                 Wire inbound = Wire.smtp(mx)) {
                idle.expect("220 ");
                inbound.expect("220 ");
                loggedIn.expect("220 ");
                loggedIn.send("EHLO laptop").expect("250-");
                loggedIn.send("STARTTLS").expect("220 2.0.0");
                loggedIn.startTls();
                loggedIn.send("EHLO laptop").expect("250-");
                loggedIn.send("AUTH PLAIN " + Base64.getEncoder().encodeToString(
                        "\0alice@example.com\0secret".getBytes(StandardCharsets.UTF_8))).expect("235 2.7.0");

                assertEquals("421 4.4.2 " + SmtpFixture.HOST + " Error: timeout exceeded", idle.smtpReply());
                assertTrue(idle.closedByServer());
                Thread.sleep(1500);
                loggedIn.send("NOOP").expect("250");
                inbound.send("NOOP").expect("250");
            }
        }
    }

    @Test
    void tlsHandshakesInProgressAreLimitedPerAddressOnImplicitTlsAndStartTls() throws Exception {
        try (SmtpFixture f = new SmtpFixture(dir, true)) {
            AcceptGuard guard = guard(2, Duration.ZERO);
            int submissions = f.start(SmtpFixture.settings(SmtpMode.SUBMISSIONS), guard, 0).port();
            int submission = f.start(SmtpFixture.settings(SmtpMode.SUBMISSION), guard, 0).port();
            // Port 465: a connection that never sends its ClientHello is a handshake in progress.
            try (Socket a = socket(submissions); Socket b = socket(submissions)) {
                // give the server the moment to activate both before the third arrives
                Thread.sleep(300);
                try (Socket third = socket(submissions)) {
                    assertEquals(-1, third.getInputStream().read(), "third handshake from one address is closed");
                }
                // STARTTLS on 587 counts against the same per-address limit, from its first TLS bytes
                try (Wire starting = Wire.smtp(submission)) {
                    starting.expect("220 ");
                    starting.send("STARTTLS").expect("220 2.0.0");
                    // the start of a TLS record (handshake, 80 bytes announced) and nothing more
                    starting.write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x50, 0x01});
                    assertTrue(starting.closedByServer(), "a STARTTLS handshake over the limit is closed");
                }
            }
            // once the two are gone, a real client completes its handshake
            boolean done = false;
            for (int i = 0; i < 50 && !done; i++) {
                try (Wire ok = Wire.smtps(submissions)) {
                    ok.expect("220 ");
                    done = true;
                } catch (java.io.IOException e) {
                    Thread.sleep(100);
                }
            }
            assertTrue(done, "the handshake slots are released when the connections close");
        }
    }

    private static Socket socket(int port) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        return s;
    }

}
