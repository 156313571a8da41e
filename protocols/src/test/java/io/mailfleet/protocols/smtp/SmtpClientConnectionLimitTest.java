package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.netty.ClientConnections;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-client connection limit over real sockets, like Postfix's smtpd_client_connection_count_limit. */
class SmtpClientConnectionLimitTest {

    @TempDir
    Path dir;

    @Test
    void aClientOverTheLimitGets421AndAFreedSlotIsReused() throws Exception {
        try (SmtpFixture f = new SmtpFixture(dir, false)) {
            int port = f.start(SmtpFixture.settings(SmtpMode.MX), 3).port();
            List<Wire> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Wire c = Wire.smtp(port);
                    c.expect("220 ");
                    open.add(c);
                }
                try (Wire fourth = Wire.smtp(port)) {
                    assertEquals("421 4.7.0 " + SmtpFixture.HOST + " Error: too many connections from 127.0.0.1",
                            fourth.smtpReply());
                    assertTrue(fourth.closedByServer());
                }
                // the three keep working
                open.get(0).send("EHLO client.example.org").expect("250");
                open.get(0).send("QUIT").expect("221");
                assertTrue(open.get(0).closedByServer());
                open.remove(0).close();
                // the slot it freed is counted back (the close reaches the server a moment later)
                String greeting = null;
                for (int attempt = 0; attempt < 50 && greeting == null; attempt++) {
                    try (Wire again = Wire.smtp(port)) {
                        String r = again.smtpReply();
                        if (r.startsWith("220 ")) {
                            greeting = r;
                            again.send("QUIT").expect("221");
                        } else {
                            Thread.sleep(100);
                        }
                    }
                }
                assertTrue(greeting != null, "a freed slot lets a new connection in");
            } finally {
                for (Wire c : open) {
                    c.close();
                }
            }
        }
    }

    @Test
    void trustedNetworksAreExempt() throws Exception {
        try (SmtpFixture f = new SmtpFixture(dir, false)) {
            SmtpSettings trusted = SmtpFixture.custom(SmtpMode.MX, SmtpSettings.DEFAULT_MESSAGE_SIZE,
                    Duration.ofSeconds(300), BareNewlinePolicy.REJECT, false, List.of(Cidr.parse("127.0.0.0/8")));
            int port = f.start(trusted, 1).port();
            try (Wire a = Wire.smtp(port); Wire b = Wire.smtp(port)) {
                a.expect("220 ");
                b.expect("220 ");
            }
        }
    }

    @Test
    void countsFollowOpensAndCloses() throws Exception {
        ClientConnections c = new ClientConnections(2);
        java.net.InetAddress a = java.net.InetAddress.getByName("192.0.2.1");
        java.net.InetAddress b = java.net.InetAddress.getByName("192.0.2.2");
        assertTrue(c.tryOpen(a));
        assertTrue(c.tryOpen(a));
        assertTrue(!c.tryOpen(a), "third from one address refused");
        assertTrue(c.tryOpen(b), "another address has its own count");
        c.close(a);
        assertEquals(1, c.open(a));
        assertTrue(c.tryOpen(a));
        c.close(a);
        c.close(a);
        c.close(a); // one close too many is harmless
        assertEquals(0, c.open(a));
        assertTrue(new ClientConnections(0).tryOpen(a), "0 = no limit");
    }
}
