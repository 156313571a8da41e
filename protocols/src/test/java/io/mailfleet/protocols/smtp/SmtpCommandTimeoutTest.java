package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 12 finding 7: the idle timeout counts whole lines, so trickling bytes does not keep a session open. */
class SmtpCommandTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    private SmtpSettings shortTimeout() {
        return SmtpFixture.custom(SmtpMode.MX, SmtpSettings.DEFAULT_MESSAGE_SIZE, TIMEOUT, BareNewlinePolicy.REJECT,
                false, List.<Cidr>of());
    }

    @Test
    void aClientTricklingOneByteAtATimeIsClosedAfterTheCommandTimeout() throws Exception {
        try (SmtpFixture f = new SmtpFixture(dir, false)) {
            int port = f.start(shortTimeout()).port();
            try (Wire c = Wire.smtp(port)) {
                c.expect("220 ");
                // A byte every 200 ms: far more often than the 1.5 s timeout, but never a whole line.
                byte[] trickle = "NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                Thread writer = new Thread(() -> {
                    try {
                        for (byte b : trickle) {
                            c.write(new byte[] {b});
                            Thread.sleep(200);
                        }
                    } catch (Exception e) {
                        // the server closed the connection: what this test expects
                    }
                });
                writer.start();
                // The trickle lasts 15 s; the reply must come long before it ends.
                String reply = c.smtpReply();
                assertEquals("421 4.4.2 " + SmtpFixture.HOST + " Error: timeout exceeded", reply);
                assertTrue(c.closedByServer());
                assertTrue(writer.isAlive(), "closed while the client was still trickling");
                writer.interrupt();
            }
        }
    }

    @Test
    void wholeCommandsWithinTheTimeoutKeepTheSessionOpen() throws Exception {
        try (SmtpFixture f = new SmtpFixture(dir, false)) {
            int port = f.start(shortTimeout()).port();
            try (Wire c = Wire.smtp(port)) {
                c.expect("220 ");
                // 4.5 s in all, three timeouts' worth, one complete command every 500 ms
                for (int i = 0; i < 9; i++) {
                    c.send("NOOP").expect("250");
                    Thread.sleep(500);
                }
                c.send("QUIT").expect("221");
            }
        }
    }
}
