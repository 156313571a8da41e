package io.mailfleet.server.web;

import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web pages beyond the browser round: a user makes an app password (shown once), logs in over IMAP
 * with it, revokes it and is refused; edits raw Sieve (a broken script comes back with its line and
 * text, a good one is active for ManageSieve too) and cannot reach another user's scripts; the
 * administrator makes an app password for an account and checks a domain's live DNS against the test
 * DNS server. Plain HTTP through the forms, as a browser without JavaScript sends them.
 */
class WebUiSelfServiceEndToEndTest {

    private static final Pattern NEW_PASSWORD = Pattern.compile("<code id=\"new-app-password\">([a-z0-9-]+)</code>");

    @TempDir
    static Path data;
    private static TestDnsServer dns;
    private static MailfleetServer server;
    private static String base;
    private static int imapPort;
    private static int sievePort;

    @BeforeAll
    static void start() throws Exception {
        dns = new TestDnsServer().mx("example.com", 10, "mail.example.com").a("mail.example.com", "192.0.2.25")
                .txt("example.com", "v=spf1 -all");
        var s = dns.settings(Duration.ofSeconds(2)).server();
        Map<String, String> env = TestServers.env(data, Map.of(
                "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort(),
                "MAILFLEET_LOGIN_FAILURE_DELAY", "0s", "MAILFLEET_WEB_CHART_SAMPLING", "1s"));
        server = TestServers.start(env, new FirstAccount("alice@example.com", "alice-pw", false));
        base = "http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT");
        imapPort = server.listeners().imapPorts().get(false);
        sievePort = server.listeners().otherPorts().get("managesieve");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        dns.close();
    }

    @Test
    void aUserMakesUsesAndRevokesAnAppPassword() throws Exception {
        FormClient alice = FormClient.login(base, "alice@example.com", "alice-pw");
        String page = alice.get("/ui/user/alice%40example.com").body();
        assertTrue(page.contains("No app passwords."), page);

        HttpResponse<String> made = alice.post("/ui/user/alice%40example.com/app-passwords",
                "name", "phone", "scope-imap", "on");
        assertEquals(200, made.statusCode(), made.body());
        Matcher m = NEW_PASSWORD.matcher(made.body());
        assertTrue(m.find(), made.body());
        String appPassword = m.group(1);
        assertEquals("OK", imapLogin("alice@example.com", appPassword));
        assertFalse(alice.get("/ui/user/alice%40example.com").body().contains(appPassword),
                "the password is shown once, never again");

        HttpResponse<String> revoked = alice.post("/ui/user/alice%40example.com/app-passwords/revoke", "name", "phone");
        assertEquals(303, revoked.statusCode());
        assertEquals("NO", imapLogin("alice@example.com", appPassword));

        HttpResponse<String> bad = alice.post("/ui/user/alice%40example.com/app-passwords", "name", "tablet");
        assertEquals(303, bad.statusCode(), "no scope: refused with the service's reason");
        assertTrue(FormClient.notice(bad).contains("give at least one scope"), FormClient.notice(bad));
    }

    @Test
    void aUserEditsRawSieveAndABrokenScriptComesBackWithItsLine() throws Exception {
        FormClient alice = FormClient.login(base, "alice@example.com", "alice-pw");
        String broken = "require [\"fileinto\"];\nif header :contains \"subject\" \"<b>x</b>\" {\n  fileinto \"Lists\"\n}\n";
        HttpResponse<String> refused = alice.post("/ui/user/alice%40example.com/sieve",
                "name", "lists", "source", broken, "activate", "on");
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("The script was not saved: line "), refused.body());
        assertTrue(refused.body().contains("&lt;b&gt;x&lt;/b&gt;"), "the typed text comes back, escaped");

        String good = broken.replace("\"Lists\"\n", "\"Lists\";\n");
        HttpResponse<String> saved = alice.post("/ui/user/alice%40example.com/sieve",
                "name", "lists", "source", good, "activate", "on");
        assertEquals(303, saved.statusCode(), saved.body());
        String list = alice.get("/ui/user/alice%40example.com/sieve").body();
        assertTrue(list.contains(">lists</a></th><td>active</td>"), list);
        assertTrue(alice.get("/ui/user/alice%40example.com/sieve/lists").body().contains("fileinto &quot;Lists&quot;;"));

        try (Wire sieve = Wire.sieve(sievePort)) {
            String plain = Base64.getEncoder().encodeToString("\0alice@example.com\0alice-pw".getBytes(StandardCharsets.UTF_8));
            assertTrue(Wire.last(sieve.send("AUTHENTICATE \"PLAIN\" \"" + plain + "\"").response()).startsWith("OK"));
            List<String> scripts = sieve.send("LISTSCRIPTS").response();
            assertTrue(scripts.contains("\"lists\" ACTIVE"), scripts.toString());
        }

        assertEquals(303, alice.post("/ui/user/alice%40example.com/sieve/activate", "name", "").statusCode());
        assertEquals(303, alice.post("/ui/user/alice%40example.com/sieve/delete", "name", "lists").statusCode());
        assertTrue(alice.get("/ui/user/alice%40example.com/sieve").body().contains("No scripts yet."));
    }

    @Test
    void anotherUsersScriptsAreForbidden() throws Exception {
        server.node().directory().apply(new io.mailfleet.core.directory.DirectoryChange.AddAccount("bob@example.com",
                io.mailfleet.core.auth.PasswordSchemes.hash("bob-pw"))).toCompletableFuture().get();
        FormClient bob = FormClient.login(base, "bob@example.com", "bob-pw");
        assertEquals(403, bob.get("/ui/user/alice%40example.com/sieve").statusCode());
        assertEquals(403, bob.post("/ui/user/alice%40example.com/app-passwords", "name", "x", "scope-imap", "on").statusCode());
    }

    @Test
    void theAdministratorMakesAnAppPasswordAndChecksLiveDns() throws Exception {
        FormClient admin = FormClient.login(base, "admin", Files.readString(data.resolve("api-token")).strip());
        String account = admin.get("/ui/admin/accounts/alice%40example.com").body();
        assertTrue(account.contains("App passwords"), account);
        HttpResponse<String> made = admin.post("/ui/admin/accounts/alice%40example.com/app-passwords",
                "name", "laptop", "scope-imap", "on", "scope-smtp", "on");
        Matcher m = NEW_PASSWORD.matcher(made.body());
        assertTrue(m.find(), made.body());
        assertEquals("OK", imapLogin("alice@example.com", m.group(1)));

        String domains = admin.get("/ui/admin/domains").body();
        assertTrue(domains.contains("/ui/admin/domains/check?domain=example.com"), domains);
        String check = admin.get("/ui/admin/domains/check?domain=example.com").body();
        assertTrue(check.contains("id=\"dns-check\""), check);
        assertTrue(check.contains("<td class=\"dns-ok\">ok</td>"), "the MX the test DNS serves matches: " + check);
        assertTrue(check.contains("<td class=\"dns-different\">different</td><td>v=spf1 -all</td>"),
                "the SPF record differs and shows what DNS holds: " + check);
        assertEquals(404, admin.get("/ui/admin/domains/check?domain=elsewhere.example").statusCode());
    }

    @Test
    void theChartsShowALoggedInSession() throws Exception {
        FormClient admin = FormClient.login(base, "admin", Files.readString(data.resolve("api-token")).strip());
        try (Wire imap = Wire.imap(imapPort)) {
            assertTrue(Wire.last(imap.command("a", "LOGIN alice@example.com alice-pw")).startsWith("a OK"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String page = "";
            while (System.nanoTime() < deadline) {
                page = admin.get("/ui/admin/charts?hours=1").body();
                if (page.contains("</svg> imap</th><td>1</td>")) {
                    break;
                }
                Thread.sleep(250);
            }
            assertTrue(page.contains("</svg> imap</th><td>1</td>"), "the IMAP session in the latest values: " + page);
            assertTrue(page.contains("<svg id=\"mailfleet-sessions\" role=\"img\""), page);
            assertTrue(page.contains("(1 nodes reporting)"), page);
        }
    }

    private static String imapLogin(String user, String password) throws Exception {
        try (Wire imap = Wire.imap(imapPort)) {
            String reply = Wire.last(imap.command("a", "LOGIN \"" + user + "\" \"" + password + "\""));
            return reply.split(" ")[1];
        }
    }
}
