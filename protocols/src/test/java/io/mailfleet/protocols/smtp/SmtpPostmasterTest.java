package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 5321 §4.5.1 on port 25 over a real socket: {@code RCPT TO:<postmaster>} without a domain, in any case, is
 * accepted for POSTMASTER_ADDRESS wherever it is (local alias, another server), and never answered with a
 * permanent "user unknown".
 */
class SmtpPostmasterTest {

    @TempDir
    Path dir;
    private SmtpFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private SmtpServer mx(String postmasterAddress) throws Exception {
        fx = new SmtpFixture(dir, false);
        return fx.start(new SmtpSettings("127.0.0.1", 0, SmtpMode.MX, SmtpFixture.HOST, SmtpSettings.DEFAULT_MESSAGE_SIZE,
                1000, 20, Duration.ofSeconds(300), false, BareNewlinePolicy.REJECT, false, List.<Cidr>of(), "+",
                postmasterAddress, true, 0));
    }

    private static void send(SmtpServer s, String rcpt, String expectedRcptReply) throws Exception {
        try (Wire c = Wire.smtp(s.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<someone@example.org>").expect("250 2.1.0");
            c.send("RCPT TO:<" + rcpt + ">").expect(expectedRcptReply);
            if (expectedRcptReply.startsWith("250")) {
                c.send("DATA").expect("354");
                c.send("Subject: hi\r\n\r\nfor the postmaster\r\n.").expect("250 2.0.0 Ok: queued as ");
            }
            c.send("QUIT").expect("221");
        }
    }

    @Test
    void barePostmasterGoesToALocalPostmasterAddressInAnyCase() throws Exception {
        SmtpServer s = mx("postmaster@example.com"); // an alias of alice in the test directory
        send(s, "postmaster", "250 2.1.5 Ok");
        send(s, "PostMaster", "250 2.1.5 Ok");
        assertEquals(2, fx.queue.entries.size());
        for (var e : fx.queue.entries) {
            assertEquals(List.of("postmaster@example.com"),
                    e.envelope().recipients().stream().map(r -> r.address()).toList());
        }
    }

    @Test
    void barePostmasterIsAcceptedForAPostmasterAddressOnAnotherServerWithoutOpeningTheRelay() throws Exception {
        SmtpServer s = mx("boss@remote.example");
        send(s, "postmaster", "250 2.1.5 Ok");
        assertEquals(List.of("boss@remote.example"),
                fx.queue.entries.get(0).envelope().recipients().stream().map(r -> r.address()).toList());
        send(s, "boss@remote.example", "554 5.7.1 <boss@remote.example>: Relay access denied");
        assertEquals(1, fx.queue.entries.size());
    }

    @Test
    void aPostmasterAddressThatTakesNoMailDefersInsteadOfRefusing() throws Exception {
        SmtpServer s = mx("nobody@example.com");
        send(s, "postmaster", "451 4.3.0 <postmaster>: Recipient address temporarily unavailable");
        assertTrue(fx.queue.entries.isEmpty());
    }
}
