package io.mailfleet.server;

import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 finding 4 on a real node: the per-address pre-login limit of IMAP, POP3 and ManageSieve with
 * each protocol's reply, the release at login, the node-wide cap shared by every listener, and the
 * login timeout. Each test uses its own client addresses (127.0.x.y), so their counts do not meet.
 */
class ConnectionLimitsEndToEndTest {

    private static final int PRE_LOGIN = 3;
    private static final int CAP = 14;

    @TempDir
    static Path data;
    static MailfleetServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.env(data, Map.of(
                        "MAILFLEET_PRE_LOGIN_CONNECTIONS_PER_ADDRESS", Integer.toString(PRE_LOGIN),
                        "MAILFLEET_MAX_CONNECTIONS", Integer.toString(CAP),
                        "MAILFLEET_LOGIN_TIMEOUT", "3s")),
                new FirstAccount("user@example.com", "secret", false));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static int imap() {
        return server.listeners().imapPorts().get(false);
    }

    private static int pop3() {
        return server.listeners().otherPorts().get("pop3");
    }

    private static int sieve() {
        return server.listeners().otherPorts().get("managesieve");
    }

    @Test
    void imapAllowsThreePreLoginConnectionsPerAddressAndCountsThemOffAtLogin() throws Exception {
        List<Wire> open = new ArrayList<>();
        try {
            for (int i = 0; i < PRE_LOGIN; i++) {
                Wire c = Wire.from(Wire.Protocol.LINES, "127.0.1.1", imap()).resetIsEnd();
                assertTrue(c.lineOrNull().startsWith("* OK"));
                open.add(c);
            }
            try (Wire fourth = Wire.from(Wire.Protocol.LINES, "127.0.1.1", imap()).resetIsEnd()) {
                assertEquals("* BYE Too many connections from your address", fourth.lineOrNull());
                assertTrue(fourth.closedByServer());
            }
            try (Wire other = Wire.from(Wire.Protocol.LINES, "127.0.1.2", imap()).resetIsEnd()) {
                assertTrue(other.lineOrNull().startsWith("* OK"), "another address has its own count");
            }
            open.get(0).send("a LOGIN user@example.com secret");
            assertTrue(open.get(0).until("a ").startsWith("a OK"));
            // the logged-in session no longer counts: a new pre-login connection is let in
            try (Wire again = Wire.from(Wire.Protocol.LINES, "127.0.1.1", imap()).resetIsEnd()) {
                assertTrue(again.lineOrNull().startsWith("* OK"));
            }
        } finally {
            closeAll(open);
        }
    }

    @Test
    void pop3AndManageSieveAnswerTheirOwnWordsAtThePreLoginLimit() throws Exception {
        List<Wire> open = new ArrayList<>();
        try {
            for (int i = 0; i < PRE_LOGIN; i++) {
                Wire p = Wire.from(Wire.Protocol.LINES, "127.0.2.1", pop3()).resetIsEnd();
                assertTrue(p.lineOrNull().startsWith("+OK"));
                open.add(p);
                Wire s = Wire.from(Wire.Protocol.LINES, "127.0.2.1", sieve()).resetIsEnd();
                assertTrue(s.lineOrNull().startsWith("\"IMPLEMENTATION\""));
                open.add(s);
            }
            try (Wire p = Wire.from(Wire.Protocol.LINES, "127.0.2.1", pop3()).resetIsEnd()) {
                assertEquals("-ERR [SYS/TEMP] Too many connections from your address", p.lineOrNull());
                assertTrue(p.closedByServer());
            }
            try (Wire s = Wire.from(Wire.Protocol.LINES, "127.0.2.1", sieve()).resetIsEnd()) {
                assertEquals("BYE \"Too many connections from your address\"", s.lineOrNull());
                assertTrue(s.closedByServer());
            }
        } finally {
            closeAll(open);
        }
    }

    @Test
    void theNodeWideCapIsSharedByEveryListenerAndAnsweredInEachProtocol() throws Exception {
        List<Wire> open = new ArrayList<>();
        try {
            // one connection per address, so only the node-wide cap can refuse
            String refusal = null;
            int port = 0;
            for (int i = 0; i <= CAP && refusal == null; i++) {
                port = i % 2 == 0 ? imap() : pop3();
                Wire c = Wire.from(Wire.Protocol.LINES, "127.0.3." + (i + 1), port).resetIsEnd();
                String first = c.lineOrNull();
                assertNotNull(first);
                if (first.startsWith("* OK") || first.startsWith("+OK")) {
                    open.add(c);
                } else {
                    refusal = first;
                    assertTrue(c.closedByServer());
                    c.close();
                }
            }
            assertTrue(open.size() <= CAP, "at most " + CAP + " connections, got " + open.size());
            assertEquals(port == imap() ? "* BYE Too many connections" : "-ERR [SYS/TEMP] Too many connections",
                    refusal);
            // full: the other protocol refuses too
            try (Wire c = Wire.from(Wire.Protocol.LINES, "127.0.3.200", port == imap() ? pop3() : imap()).resetIsEnd()) {
                String line = c.lineOrNull();
                assertTrue(line.equals("* BYE Too many connections")
                        || line.equals("-ERR [SYS/TEMP] Too many connections"), line);
            }
        } finally {
            closeAll(open);
        }
    }

    @Test
    void aConnectionThatDoesNotLogInIsClosedAtTheLoginTimeout() throws Exception {
        try (Wire imap = Wire.from(Wire.Protocol.LINES, "127.0.4.1", imap()).resetIsEnd();
             Wire pop3 = Wire.from(Wire.Protocol.LINES, "127.0.4.1", pop3()).resetIsEnd();
             Wire sieve = Wire.from(Wire.Protocol.LINES, "127.0.4.1", sieve()).resetIsEnd()) {
            assertTrue(imap.lineOrNull().startsWith("* OK"));
            assertTrue(pop3.lineOrNull().startsWith("+OK"));
            // the client keeps sending whole commands: the login timeout still ends it
            imap.send("a CAPABILITY");
            imap.until("a OK");
            assertEquals("* BYE Disconnected for inactivity.", imap.lineOrNull());
            assertTrue(imap.closedByServer());
            assertEquals("-ERR Disconnected for inactivity.", pop3.lineOrNull());
            assertEquals("BYE \"Disconnected for inactivity.\"", sieve.until("BYE"));
        }
    }

    private static void closeAll(List<Wire> open) throws IOException {
        for (Wire c : open) {
            c.close();
        }
    }
}
