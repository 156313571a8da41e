package io.mailfleet.server.imap;

import io.mailfleet.cli.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.mailfleet.cli.CliRun.cli;

/**
 * The cluster-wide session registry on a real node: the IMAP and POP3 per-user-and-IP limits over
 * real sockets, listing and kicking through the management API and the CLI ({@code * BYE}, then the
 * server closes the socket).
 */
class SessionsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    static HttpResponse<String> http(Map<String, String> env, String method, String path) throws Exception {
        String token = Files.readString(Path.of(env.get("MAILFLEET_DATA")).resolve("api-token")).strip();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT")
                        + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode sessions(Map<String, String> env, String account) throws Exception {
        HttpResponse<String> r = http(env, "GET", "/api/v1/sessions" + (account == null ? "" : "?account=" + account));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static Wire login(int port, String user, String password) throws Exception {
        Wire c = Wire.imap(port);
        List<String> r = c.command("L", "LOGIN " + user + " " + password);
        assertTrue(Wire.last(r).startsWith("L OK"), r.toString());
        return c;
    }

    /** Reads until the server closes the connection; returns what came before. */
    static List<String> untilClosed(Wire c) {
        List<String> lines = new ArrayList<>();
        assertThrows(IOException.class, () -> {
            while (true) {
                lines.add(c.line());
            }
        });
        return lines;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    static int count(Map<String, String> env, String account) {
        try {
            return sessions(env, account).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void limitsListingAndKickThroughApiAndCli() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of(
                "MAILFLEET_IMAP_MAX_USERIP_CONNECTIONS", "2",
                "MAILFLEET_POP3_MAX_USERIP_CONNECTIONS", "1"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            server.node().directory().apply(new DirectoryChange.AddAccount("other@example.com",
                    PasswordSchemes.hash("pw"))).toCompletableFuture().get(20, TimeUnit.SECONDS);
            int imap = server.listeners().imapPorts().get(false);
            int pop3 = server.listeners().otherPorts().get("pop3");

            // IMAP: two sessions from one address, the third refused with Dovecot's reply.
            Wire one = login(imap, "user@example.com", "secret");
            Wire two = login(imap, "User@Example.com", "secret");
            Wire otherUser = login(imap, "other@example.com", "pw");
            try (Wire third = Wire.imap(imap)) {
                assertEquals("L NO [LIMIT] Maximum number of connections from user+IP exceeded"
                        + " (mail_max_userip_connections=2)", Wire.last(third.command("L",
                        "LOGIN user@example.com secret")));
                // The refused connection stays usable and not logged in.
                assertTrue(Wire.last(third.command("N", "NOOP")).startsWith("N OK"));
            }

            JsonNode listed = sessions(env, "user@example.com");
            assertEquals(2, listed.size(), listed.toString());
            for (JsonNode s : listed) {
                assertEquals("user@example.com", s.path("account").asText());
                assertEquals("imap", s.path("protocol").asText());
                assertEquals("127.0.0.1", s.path("remoteIp").asText());
                assertTrue(s.path("node").asText().startsWith("mailfleet@"), s.toString());
            }
            String firstId = listed.get(0).path("id").asText();
            assertEquals(3, sessions(env, null).size());
            MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
            ObjectName nodeBean = mbeans.queryNames(new ObjectName("io.mailfleet:type=Node,*"), null).iterator().next();
            assertArrayEquals(new String[] {"imap 3"}, (String[]) mbeans.getAttribute(nodeBean, "SessionsByProtocol"));

            CliRun list = cli(env, "sessions", "list");
            assertEquals(0, list.code(), list.toString());
            assertTrue(list.out().contains(firstId) && list.out().contains("other@example.com")
                    && list.out().contains("-- 3 sessions"), list.out());
            CliRun none = cli(env, "sessions", "list", "nobody@example.com");
            assertEquals(0, none.code(), none.toString());
            assertTrue(none.out().contains("No live session of nobody@example.com"), none.out());

            // Kick one session by id through the CLI: the client gets * BYE and the socket closes.
            CliRun kick = cli(env, "sessions", "kick", "user@example.com", firstId);
            assertEquals(0, kick.code(), kick.toString());
            assertTrue(kick.out().contains("INFO: session " + firstId + " of user@example.com disconnected"), kick.out());
            List<String> goodbye = untilClosed(one);
            assertEquals(List.of("* BYE Disconnected by the administrator."), goodbye);
            await(() -> count(env, "user@example.com") == 1, "kicked session unregistered");
            Wire three = login(imap, "user@example.com", "secret");

            // Kick all of an account through the API: both remaining sessions, the other account untouched.
            HttpResponse<String> all = http(env, "DELETE", "/api/v1/sessions/user@example.com");
            assertEquals(200, all.statusCode(), all.body());
            assertEquals(2, JSON.readTree(all.body()).path("kicked").asInt(), all.body());
            assertEquals(List.of("* BYE Disconnected by the administrator."), untilClosed(two));
            assertEquals(List.of("* BYE Disconnected by the administrator."), untilClosed(three));
            assertTrue(Wire.last(otherUser.command("N", "NOOP")).startsWith("N OK"));
            await(() -> count(env, "user@example.com") == 0, "kicked sessions unregistered");

            // Nothing to kick and bad input: clear messages and exit codes.
            HttpResponse<String> gone = http(env, "DELETE", "/api/v1/sessions/user@example.com/" + firstId);
            assertEquals(404, gone.statusCode(), gone.body());
            assertTrue(gone.body().contains("session " + firstId + " of user@example.com is not live"), gone.body());
            CliRun nothing = cli(env, "sessions", "kick", "user@example.com");
            assertEquals(1, nothing.code(), nothing.toString());
            assertTrue(nothing.err().contains("account user@example.com has no live session"), nothing.err());
            CliRun noAccount = cli(env, "sessions", "kick");
            assertEquals(1, noAccount.code(), noAccount.toString());
            assertTrue(noAccount.err().contains("You need to specify the account"), noAccount.err());
            CliRun badAccount = cli(env, "sessions", "list", "not-an-address");
            assertEquals(1, badAccount.code(), badAccount.toString());
            assertTrue(badAccount.err().contains("invalid account"), badAccount.err());
            assertEquals(2, cli(env, "sessions", "frobnicate").code());

            // POP3: the limit (1 here) over real sockets, listed, and a kick closes the connection.
            try (Wire p1 = Wire.pop3(pop3); Wire p2 = Wire.pop3(pop3)) {
                pop3Login(p1);
                assertTrue(p1.line().startsWith("+OK"));
                pop3Login(p2);
                assertEquals("-ERR [IN-USE] Maximum number of connections from user+IP exceeded"
                        + " (mail_max_userip_connections=1)", p2.line());
                JsonNode pop = sessions(env, "user@example.com");
                assertEquals(1, pop.size(), pop.toString());
                assertEquals("pop3", pop.get(0).path("protocol").asText());
                CliRun popKick = cli(env, "sessions", "kick", "user@example.com");
                assertTrue(popKick.out().contains("INFO: 1 session of user@example.com disconnected"), popKick.toString());
                assertEquals(null, p1.lineOrNull(), "server closed the kicked POP3 connection");
            }
            await(() -> count(env, "user@example.com") == 0, "kicked POP3 session unregistered");

            // ManageSieve sessions are listed (no limit) and a kick says BYE before closing.
            int sieve = server.listeners().otherPorts().get("managesieve");
            try (Wire m = Wire.sieve(sieve)) {
                assertTrue(Wire.last(m.greetingLines()).startsWith("OK"));
                String plain = java.util.Base64.getEncoder().encodeToString("\0user@example.com\0secret"
                        .getBytes(StandardCharsets.UTF_8));
                assertTrue(m.send("AUTHENTICATE \"PLAIN\" \"" + plain + "\"").line().startsWith("OK"));
                await(() -> count(env, "user@example.com") == 1, "ManageSieve session listed");
                assertEquals("managesieve", sessions(env, "user@example.com").get(0).path("protocol").asText());
                CliRun sieveKick = cli(env, "sessions", "kick", "user@example.com");
                assertEquals(0, sieveKick.code(), sieveKick.toString());
                assertEquals("BYE \"Disconnected by the administrator.\"", m.line());
                assertEquals(null, m.lineOrNull(), "server closed the kicked ManageSieve connection");
            }
            await(() -> count(env, "user@example.com") == 0, "kicked ManageSieve session unregistered");

            // An authenticated SMTP submission session (clear text: this node has no TLS) is listed too.
            int submission = server.listeners().smtpPorts().get(io.mailfleet.protocols.smtp.SmtpMode.SUBMISSION);
            try (Wire m = Wire.smtp(submission)) {
                m.expect("220 ");
                m.send("EHLO laptop").expect("250");
                String plain = java.util.Base64.getEncoder().encodeToString("\0user@example.com\0secret"
                        .getBytes(StandardCharsets.UTF_8));
                assertTrue(m.send("AUTH PLAIN " + plain).line().startsWith("235 "));
                await(() -> count(env, "user@example.com") == 1, "SMTP session listed");
                assertEquals("smtp", sessions(env, "user@example.com").get(0).path("protocol").asText());
                CliRun smtpKick = cli(env, "sessions", "kick", "user@example.com");
                assertEquals(0, smtpKick.code(), smtpKick.toString());
                assertTrue(m.line().startsWith("421 4.7.0 "), "kicked SMTP session is told why");
                assertEquals(null, m.lineOrNull(), "server closed the kicked SMTP connection");
            }
            otherUser.close();
        }
    }

    /** Sends USER and PASS on a fresh POP3 wire; the answer to PASS is left for the test. */
    private static void pop3Login(Wire p) throws IOException {
        assertTrue(p.greeting().startsWith("+OK"));
        assertTrue(p.send("USER user@example.com").line().startsWith("+OK"));
        p.send("PASS secret");
    }
}
