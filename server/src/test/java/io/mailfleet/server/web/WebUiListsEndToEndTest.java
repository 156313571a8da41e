package io.mailfleet.server.web;

import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spam allow/block list pages over plain HTTP, as a browser without JavaScript sends the forms: a
 * user lists, adds and removes their own entries (a refusal shows the service's reason, markup shows as
 * text), what they add is what the JSON API sees, another user gets 403, and the administrator sees and
 * changes the same lists on the account's page. The aliases page shows postfix-regexp.cf's
 * regular-expression aliases, escaped, in the file's order; the relay page shows the relay selection
 * and the outbound TLS table, never a relay password; the cluster page shows which node hosts how many
 * shards of each entity type.
 */
class WebUiListsEndToEndTest {


    @TempDir
    static Path data;
    private static MailfleetServer server;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path dms = data.resolve("dms");
        Files.createDirectories(dms);
        // markup in a pattern must show as text
        Files.writeString(dms.resolve("postfix-regexp.cf"), "# regexp aliases\n"
                + "/^test[0-9]+(<b>)?@example\\.com$/ alice@example.com\n/^sales-.*@example\\.com$/ alice@example.com,carol@example.com\n");
        Files.writeString(dms.resolve("postfix-relaymap.cf"), "@example.com [smtp.relay.example]:587\n@excluded.example\n");
        Files.writeString(dms.resolve("postfix-sasl-password.cf"), "@example.com relayuser:SeCrEt-Relay-Pw\n");
        Files.writeString(dms.resolve("postfix-tls-policy.cf"),
                "example.net encrypt\n[smtp.relay.example]:587 secure match=relay.example:.relay.example\n");
        Map<String, String> env = TestServers.env(data.resolve("node"), Map.of("MAILFLEET_LOGIN_FAILURE_DELAY", "0s",
                "DMS_CONFIG_DIR", dms.toString(), "DEFAULT_RELAY_HOST", "[fallback.example]:2525",
                "RELAY_HOST", "relay-host.example", "RELAY_PORT", "2587"));
        server = TestServers.start(env, new FirstAccount("alice@example.com", "alice-pw", false));
        base = "http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aUserManagesTheirOwnListsAndTheApiSeesThem() throws Exception {
        FormClient alice = FormClient.login(base, "alice@example.com", "alice-pw");
        String page = alice.get("/ui/user/alice%40example.com").body();
        assertTrue(page.contains("<p id=\"allow-list\">None.</p>"), page);
        assertTrue(page.contains("<p id=\"block-list\">None.</p>"), page);

        HttpResponse<String> added = alice.post("/ui/user/alice%40example.com/spam-lists",
                "list", "block", "entry", "*@Spammer.Example");
        assertEquals(303, added.statusCode(), added.body());
        assertEquals("spammer.example added to the block list.", FormClient.notice(added));
        assertEquals(303, alice.post("/ui/user/alice%40example.com/spam-lists",
                "list", "allow", "entry", "boss@spammer.example").statusCode());
        page = alice.get("/ui/user/alice%40example.com").body();
        assertTrue(page.contains("<li>spammer.example <form"), page);
        assertTrue(page.contains("<li>boss@spammer.example <form"), page);

        String api = api("/api/v1/spam-lists/alice@example.com");
        assertTrue(api.contains("\"spammer.example\"") && api.contains("\"boss@spammer.example\""), api);

        HttpResponse<String> again = alice.post("/ui/user/alice%40example.com/spam-lists",
                "list", "block", "entry", "spammer.example");
        assertTrue(FormClient.notice(again).contains("spammer.example is on the block list of alice@example.com already"),
                FormClient.notice(again));
        HttpResponse<String> markup = alice.post("/ui/user/alice%40example.com/spam-lists",
                "list", "block", "entry", "<script>x</script>");
        assertTrue(FormClient.notice(markup).contains("is no sender address"), FormClient.notice(markup));
        String shown = alice.follow(markup).body();
        assertTrue(shown.contains("&#39;&lt;script&gt;x&lt;/script&gt;&#39; is no sender address"), "escaped: " + shown);
        assertFalse(shown.contains("<script>x"), shown);

        HttpResponse<String> removed = alice.post("/ui/user/alice%40example.com/spam-lists/remove",
                "list", "block", "entry", "spammer.example");
        assertEquals("spammer.example removed from the block list.", FormClient.notice(removed));
        assertFalse(api("/api/v1/spam-lists/alice@example.com").contains("\"spammer.example\""));
        assertTrue(FormClient.notice(alice.post("/ui/user/alice%40example.com/spam-lists/remove",
                "list", "block", "entry", "spammer.example")).contains("is not on the block list"));

        FormClient noCsrf = alice.withCsrf("wrong");
        assertEquals(403, noCsrf.post("/ui/user/alice%40example.com/spam-lists", "list", "block", "entry", "x.example")
                .statusCode());
        assertFalse(api("/api/v1/spam-lists/alice@example.com").contains("x.example\""), "nothing changed");
    }

    @Test
    void anotherUserIsRefusedAndTheAdministratorSeesTheSameLists() throws Exception {
        FormClient admin = FormClient.login(base, "admin", Files.readString(data.resolve("node").resolve("api-token")).strip());
        assertEquals(303, admin.post("/ui/admin/accounts", "address", "carol@example.com", "password", "carol-pw")
                .statusCode());
        FormClient carol = FormClient.login(base, "carol@example.com", "carol-pw");
        assertEquals(303, carol.post("/ui/user/carol%40example.com/spam-lists", "list", "allow", "entry", "friend.example")
                .statusCode());
        FormClient other = FormClient.login(base, "alice@example.com", "alice-pw");
        assertEquals(403, other.post("/ui/user/carol%40example.com/spam-lists", "list", "block", "entry", "x.example")
                .statusCode());
        assertEquals(403, other.get("/ui/user/carol%40example.com").statusCode());

        String page = admin.get("/ui/admin/accounts/carol%40example.com").body();
        assertTrue(page.contains("<li>friend.example <form"), page);
        assertTrue(page.contains("action=\"/ui/admin/accounts/carol%40example.com/spam-lists/remove\""), page);
        HttpResponse<String> removed = admin.post("/ui/admin/accounts/carol%40example.com/spam-lists/remove",
                "list", "allow", "entry", "friend.example");
        assertEquals("friend.example removed from the allow list.", FormClient.notice(removed));
        assertEquals(303, admin.post("/ui/admin/accounts/carol%40example.com/spam-lists",
                "list", "block", "entry", "junk.example").statusCode());
        assertTrue(carol.get("/ui/user/carol%40example.com").body().contains("<li>junk.example <form"));
        HttpResponse<String> badList = admin.post("/ui/admin/accounts/carol%40example.com/spam-lists",
                "list", "maybe", "entry", "junk.example");
        assertTrue(FormClient.notice(badList).contains("unknown list 'maybe': use allow or block"), FormClient.notice(badList));
    }

    @Test
    void theAliasesPageShowsTheRegularExpressionAliasesInOrder() throws Exception {
        FormClient admin = FormClient.login(base, "admin", Files.readString(data.resolve("node").resolve("api-token")).strip());
        String page = admin.get("/ui/admin/aliases").body();
        assertTrue(page.contains("2 regular-expression aliases"), page);
        assertTrue(page.contains("<tr><td><code>/^test[0-9]+(&lt;b&gt;)?@example\\.com$/</code></td><td>alice@example.com</td><td>"),
                "the pattern, escaped: " + page);
        assertTrue(page.contains("<code>/^sales-.*@example\\.com$/</code></td><td>alice@example.com, carol@example.com</td>"), page);
        assertTrue(page.indexOf("^test[0-9]") < page.indexOf("^sales-"), "in the file's order");
        assertTrue(page.contains("<code>postfix-regexp.cf</code>"), "names the file to edit: " + page);
    }

    @Test
    void theRelayPageShowsTheRelaySelectionWithoutPasswords() throws Exception {
        FormClient admin = FormClient.login(base, "admin", Files.readString(data.resolve("node").resolve("api-token")).strip());
        String page = admin.get("/ui/admin/relay").body();
        assertTrue(page.contains("<dt>Default relay (DEFAULT_RELAY_HOST)</dt><dd>[fallback.example]:2525</dd>"), page);
        assertTrue(page.contains("<dt>Relay for the hosted domains (RELAY_HOST)</dt><dd>[relay-host.example]:2587</dd>"), page);
        assertTrue(page.contains("<tr><th scope=\"row\">example.com</th><td>[smtp.relay.example]:587</td>"
                + "<td>yes (@example.com)</td><td>"), page);
        assertTrue(page.contains("<tr><th scope=\"row\">excluded.example</th><td>excluded"), page);
        assertTrue(page.contains("<li>@example.com: a user name and password are set <form"), page);
        assertTrue(page.contains("<strong>encrypt</strong> (raised from may because relay logins exist"), page);
        assertTrue(page.contains("<tr><th scope=\"row\">[smtp.relay.example]:587</th><td>secure</td>"
                + "<td>relay.example, .relay.example</td></tr>"), page);
        assertTrue(page.contains("<tr><th scope=\"row\">example.net</th><td>encrypt</td>"), page);
        assertTrue(page.contains("./mailfleet relay"), page);
        assertFalse(page.contains("SeCrEt-Relay-Pw") || page.contains("relayuser"), "never the login: " + page);

        FormClient alice = FormClient.login(base, "alice@example.com", "alice-pw");
        assertEquals(403, alice.get("/ui/admin/relay").statusCode());
    }

    @Test
    void theClusterPageShowsWhereTheShardsAre() throws Exception {
        FormClient admin = FormClient.login(base, "admin", Files.readString(data.resolve("node").resolve("api-token")).strip());
        // starts dave's SenderLists entity, so that type has at least one shard with one entity here
        assertEquals(303, admin.post("/ui/admin/accounts", "address", "dave@example.com", "password", "dave-pw")
                .statusCode());
        assertEquals(303, admin.post("/ui/admin/accounts/dave%40example.com/spam-lists",
                "list", "allow", "entry", "placement.example").statusCode());
        HttpResponse<String> r = admin.get("/ui/admin/cluster");
        assertEquals(200, r.statusCode(), r.body());
        String page = r.body();
        Matcher self = Pattern.compile("<dt>This node</dt><dd>([^<]+)</dd>").matcher(page);
        assertTrue(self.find(), page);
        Matcher row = Pattern.compile("<tr><th scope=\"row\">SenderLists</th><td>" + Pattern.quote(self.group(1))
                + "</td><td>(\\d+)</td><td>(\\d+)</td><td>0</td></tr>").matcher(page);
        assertTrue(row.find(), "this node hosts the SenderLists shard: " + page);
        assertTrue(Integer.parseInt(row.group(1)) >= 1 && Integer.parseInt(row.group(2)) >= 1, row.group());
        assertTrue(page.contains("<th scope=\"row\">Directory</th>"), "every entity type is listed: " + page);
    }

    /** The JSON API's answer to {@code path}, with the node's token. */
    private static String api(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + Files.readString(data.resolve("node").resolve("api-token")).strip()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
