package io.mailfleet.server.scan;

import io.mailfleet.core.spam.ContentScan;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-account sender allow and block lists on a real node, set through the management API and honoured
 * over real SMTP on port 25 before the spam scanners: the built-in scorer here, a real spamd in
 * {@link #spamdIsNotAskedAboutAnAllowedSenderAndABlockedSenderIsRefusedAtKill}; a real clamd still scans
 * an allowed sender's mail.
 */
class SenderListsEndToEndTest {

    private static final String OTHER = "other@example.com";

    @TempDir
    Path data;

    @Test
    void anAllowedSenderSkipsTheScorerABlockedOneIsJunkedAndAccountsMustAgree() throws Exception {
        Map<String, String> env = ScanMail.env(data, Map.of("MAILFLEET_SPAM_SCORER", "1"), "");
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
            Api api = new Api(env);
            assertEquals(201, api.call("POST", "/api/v1/accounts", "{\"address\":\"" + OTHER
                    + "\",\"password\":\"secret-other\"}").statusCode());
            HttpResponse<String> added = api.call("POST", "/api/v1/spam-lists/" + ScanMail.ACCOUNT + "/allow",
                    "{\"entry\":\"Friend@Remote.Example\"}");
            assertEquals(201, added.statusCode(), added.body());
            assertTrue(added.body().contains("\"entry\":\"friend@remote.example\""), added.body());
            assertEquals(201, api.call("POST", "/api/v1/spam-lists/" + ScanMail.ACCOUNT + "/block",
                    "{\"entry\":\"*.spammer.example\"}").statusCode());
            assertEquals(201, api.call("POST", "/api/v1/spam-lists/" + OTHER + "/block",
                    "{\"entry\":\"*.spammer.example\"}").statusCode());
            // the API refuses what it cannot store
            assertEquals(409, api.call("POST", "/api/v1/spam-lists/" + ScanMail.ACCOUNT + "/allow",
                    "{\"entry\":\"friend@remote.example\"}").statusCode());
            assertEquals(400, api.call("POST", "/api/v1/spam-lists/" + ScanMail.ACCOUNT + "/allow",
                    "{\"entry\":\"not a sender\"}").statusCode());
            assertEquals(400, api.call("POST", "/api/v1/spam-lists/" + ScanMail.ACCOUNT + "/maybe",
                    "{\"entry\":\"x.example\"}").statusCode());
            assertEquals(404, api.call("POST", "/api/v1/spam-lists/nobody@example.com/allow",
                    "{\"entry\":\"x.example\"}").statusCode());
            assertEquals(404, api.call("DELETE", "/api/v1/spam-lists/" + ScanMail.ACCOUNT + "/block/x.example", null)
                    .statusCode());
            HttpResponse<String> lists = api.call("GET", "/api/v1/spam-lists/" + ScanMail.ACCOUNT, null);
            assertEquals("{\"account\":\"user@example.com\",\"allow\":[\"friend@remote.example\"],"
                    + "\"block\":[\"*.spammer.example\"]}", lists.body());

            // GTUBE from the allowed sender: not scored, delivered to INBOX
            assertTrue(ScanMail.sendFrom(server, "127.0.0.2", "friend@remote.example",
                    ScanMail.message("gtube from a friend", ContentScan.GTUBE, null)).startsWith("250 "));
            // a clean message from a blocked domain's subdomain: spam over SA_KILL, filed in Junk
            assertTrue(ScanMail.sendFrom(server, "127.0.0.2", "offers@mail.spammer.example",
                    ScanMail.message("clean offer", "Hello, a perfectly ordinary text.", null)).startsWith("250 "));
            List<String> inbox = ScanMail.await(server, "INBOX", 1);
            assertTrue(inbox.get(0).contains("Subject: gtube from a friend"), inbox.get(0));
            assertFalse(inbox.get(0).contains("X-Spam-"), inbox.get(0));
            List<String> junk = ScanMail.await(server, "Junk", 1);
            assertTrue(junk.get(0).startsWith("X-Spam-Flag: YES\r\nX-Spam-Score: 100\r\n"), junk.get(0));
            assertTrue(junk.get(0).contains("tests=[USER_IN_BLOCKLIST=100]"), junk.get(0));

            // to both accounts: only one allows the sender, so the scorer decides (GTUBE: Junk for both)
            assertEquals("250", sendToBoth(server, "friend@remote.example", "gtube to both").substring(0, 3));
            List<String> junkNow = ScanMail.await(server, "Junk", 2);
            assertTrue(junkNow.get(1).contains("GTUBE=1000") && junkNow.get(1).contains("Subject: gtube to both"),
                    junkNow.get(1));
            // both accounts block the sender: spam for both
            assertEquals("250", sendToBoth(server, "x@spammer.example", "blocked for both").substring(0, 3));
            assertTrue(ScanMail.await(server, "Junk", 3).get(2).contains("USER_IN_BLOCKLIST"));

            // removed from the allow list: GTUBE from the friend is scored again
            HttpResponse<String> removed = api.call("DELETE", "/api/v1/spam-lists/" + ScanMail.ACCOUNT
                    + "/allow/friend%40remote.example", null);
            assertEquals(200, removed.statusCode(), removed.body());
            assertTrue(ScanMail.sendFrom(server, "127.0.0.2", "friend@remote.example",
                    ScanMail.message("gtube again", ContentScan.GTUBE, null)).startsWith("250 "));
            assertTrue(ScanMail.await(server, "Junk", 4).get(3).contains("GTUBE=1000"));
            assertEquals(1, ScanMail.await(server, "INBOX", 1).size());
        }
    }

    @Test
    void spamdIsNotAskedAboutAnAllowedSenderAndABlockedSenderIsRefusedAtKill() throws Exception {
        Path daemons = Files.createDirectories(data.resolveSibling(data.getFileName() + "-spamd"));
        try (Spamd spamd = Spamd.start(daemons)) {
            Map<String, String> env = ScanMail.env(data, Map.of("ENABLE_SPAMASSASSIN", "1",
                    "MAILFLEET_SPAMD_ADDRESS", spamd.address(), "SPAMASSASSIN_SPAM_TO_INBOX", "0"), "");
            try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
                Api api = new Api(env);
                assertEquals(201, api.call("POST", "/api/v1/spam-lists/" + ScanMail.ACCOUNT + "/allow",
                        "{\"entry\":\"*@friends.example\"}").statusCode());
                assertEquals(201, api.call("POST", "/api/v1/spam-lists/" + ScanMail.ACCOUNT + "/block",
                        "{\"entry\":\"pest@remote.example\"}").statusCode());
                assertTrue(ScanMail.sendFrom(server, "127.0.0.2", "anne@friends.example",
                        ScanMail.message("gtube from friends", Spamd.GTUBE, null)).startsWith("250 "));
                assertEquals("554 5.7.1 Spam message rejected", ScanMail.sendFrom(server, "127.0.0.2",
                        "pest@remote.example", ScanMail.message("clean from the pest", "Hello there.", null)));
                assertEquals("554 5.7.1 Spam message rejected", ScanMail.sendFrom(server, "127.0.0.2",
                        "sender@remote.example", ScanMail.message("gtube unlisted", Spamd.GTUBE, null)));
                List<String> inbox = ScanMail.await(server, "INBOX", 1);
                assertEquals(1, inbox.size());
                assertFalse(inbox.get(0).contains("X-Spam-"), inbox.get(0));
                // spamd answered only the unlisted message
                String metrics = ScanMail.metrics(env);
                assertTrue(metrics.contains(
                        "mailfleet_scanner_calls_total{outcome=\"answered\",scanner=\"spamassassin\"} 1.0"), metrics);
            }
        }
    }

    @Test
    void anAllowedSendersVirusIsStillRefused() throws Exception {
        Path daemons = Files.createDirectories(data.resolveSibling(data.getFileName() + "-clamd"));
        try (Clamd clamd = Clamd.start(daemons)) {
            Map<String, String> env = ScanMail.env(data, Map.of("ENABLE_CLAMAV", "1",
                    "MAILFLEET_CLAMAV_ADDRESS", clamd.address(), "MAILFLEET_SPAM_SCORER", "1"), "");
            try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
                assertEquals(201, new Api(env).call("POST", "/api/v1/spam-lists/" + ScanMail.ACCOUNT + "/allow",
                        "{\"entry\":\"remote.example\"}").statusCode());
                assertEquals("554 5.7.1 Virus found: " + Clamd.SIGNATURE + ".UNOFFICIAL", ScanMail.sendFrom(server,
                        "127.0.0.2", "sender@remote.example", ScanMail.message("infected", "see attached", Clamd.EICAR)));
                assertTrue(ScanMail.sendFrom(server, "127.0.0.2", "sender@remote.example",
                        ScanMail.message("gtube", ContentScan.GTUBE, null)).startsWith("250 "));
                List<String> inbox = ScanMail.await(server, "INBOX", 1);
                assertEquals(1, inbox.size());
                assertTrue(inbox.get(0).contains("Subject: gtube") && !inbox.get(0).contains("X-Spam-"), inbox.get(0));
            }
        }
    }

    private static String sendToBoth(MailfleetServer server, String from, String subject) throws Exception {
        int port = server.listeners().smtpPorts().get(SmtpMode.MX);
        try (Wire c = Wire.from(Wire.Protocol.SMTP, "127.0.0.2", port)) {
            Smtp.beginTransaction(c, from, ScanMail.ACCOUNT);
            Smtp.command(c, "RCPT TO:<" + OTHER + ">", "250");
            Smtp.command(c, "DATA", "354");
            c.write(ScanMail.message(subject, ContentScan.GTUBE, null));
            return Smtp.endData(c);
        }
    }

    /** The node's management API with its bearer token. */
    private record Api(String base, String token) {
        Api(Map<String, String> env) throws Exception {
            this("http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT"),
                    Files.readString(Path.of(env.get("MAILFLEET_DATA")).resolve("api-token")).strip());
        }

        HttpResponse<String> call(String method, String path, String json) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token);
            b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
