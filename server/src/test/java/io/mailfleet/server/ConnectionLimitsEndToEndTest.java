package io.mailfleet.server;

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
        List<LineClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < PRE_LOGIN; i++) {
                LineClient c = new LineClient("127.0.1.1", imap());
                assertTrue(c.line().startsWith("* OK"));
                open.add(c);
            }
            try (LineClient fourth = new LineClient("127.0.1.1", imap())) {
                assertEquals("* BYE Too many connections from your address", fourth.line());
                assertTrue(fourth.closedByServer());
            }
            try (LineClient other = new LineClient("127.0.1.2", imap())) {
                assertTrue(other.line().startsWith("* OK"), "another address has its own count");
            }
            open.get(0).send("a LOGIN user@example.com secret");
            assertTrue(open.get(0).until("a ").startsWith("a OK"));
            // the logged-in session no longer counts: a new pre-login connection is let in
            try (LineClient again = new LineClient("127.0.1.1", imap())) {
                assertTrue(again.line().startsWith("* OK"));
            }
        } finally {
            closeAll(open);
        }
    }

    @Test
    void pop3AndManageSieveAnswerTheirOwnWordsAtThePreLoginLimit() throws Exception {
        List<LineClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < PRE_LOGIN; i++) {
                LineClient p = new LineClient("127.0.2.1", pop3());
                assertTrue(p.line().startsWith("+OK"));
                open.add(p);
                LineClient s = new LineClient("127.0.2.1", sieve());
                assertTrue(s.line().startsWith("\"IMPLEMENTATION\""));
                open.add(s);
            }
            try (LineClient p = new LineClient("127.0.2.1", pop3())) {
                assertEquals("-ERR [SYS/TEMP] Too many connections from your address", p.line());
                assertTrue(p.closedByServer());
            }
            try (LineClient s = new LineClient("127.0.2.1", sieve())) {
                assertEquals("BYE \"Too many connections from your address\"", s.line());
                assertTrue(s.closedByServer());
            }
        } finally {
            closeAll(open);
        }
    }

    @Test
    void theNodeWideCapIsSharedByEveryListenerAndAnsweredInEachProtocol() throws Exception {
        List<LineClient> open = new ArrayList<>();
        try {
            // one connection per address, so only the node-wide cap can refuse
            String refusal = null;
            int port = 0;
            for (int i = 0; i <= CAP && refusal == null; i++) {
                port = i % 2 == 0 ? imap() : pop3();
                LineClient c = new LineClient("127.0.3." + (i + 1), port);
                String first = c.line();
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
            try (LineClient c = new LineClient("127.0.3.200", port == imap() ? pop3() : imap())) {
                String line = c.line();
                assertTrue(line.equals("* BYE Too many connections")
                        || line.equals("-ERR [SYS/TEMP] Too many connections"), line);
            }
        } finally {
            closeAll(open);
        }
    }

    @Test
    void aConnectionThatDoesNotLogInIsClosedAtTheLoginTimeout() throws Exception {
        try (LineClient imap = new LineClient("127.0.4.1", imap());
             LineClient pop3 = new LineClient("127.0.4.1", pop3());
             LineClient sieve = new LineClient("127.0.4.1", sieve())) {
            assertTrue(imap.line().startsWith("* OK"));
            assertTrue(pop3.line().startsWith("+OK"));
            // the client keeps sending whole commands: the login timeout still ends it
            imap.send("a CAPABILITY");
            imap.until("a OK");
            assertEquals("* BYE Disconnected for inactivity.", imap.line());
            assertTrue(imap.closedByServer());
            assertEquals("-ERR Disconnected for inactivity.", pop3.line());
            assertEquals("BYE \"Disconnected for inactivity.\"", sieve.until("BYE"));
        }
    }

    private static void closeAll(List<LineClient> open) throws IOException {
        for (LineClient c : open) {
            c.close();
        }
    }
}
