package io.mailfleet.server.apppassword;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailfleet.cluster.apppassword.ClusterAppPasswords;
import io.mailfleet.core.auth.AppPassword;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * App passwords and self-service on a real node: a user makes an app password over HTTP with their own
 * login, it logs in over IMAP (its scope) and not over POP3, not from a network it does not allow, not
 * once expired, not once revoked; the user changes their password and logs in over IMAP with the new one;
 * another user cannot touch the first one's app passwords; an app password cannot log in to self-service.
 */
class AppPasswordEndToEndTest {

    private static final String A = "alice@example.com";
    private static final String B = "bob@example.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String base;

    @Test
    void appPasswordsAndSelfService() throws Exception {
        int port = TestServers.freePort();
        Map<String, String> env = TestServers.env(data, Map.of("MAILFLEET_AUTOCONFIG", "1",
                "MAILFLEET_AUTOCONFIG_BIND", "127.0.0.1", "MAILFLEET_AUTOCONFIG_PORT", Integer.toString(port),
                "MAILFLEET_IMAP_AUTH_CACHE_TTL", "60s"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(A, "alice-secret", false))) {
            server.node().directory().apply(new DirectoryChange.AddAccount(B, PasswordSchemes.hash("bob-secret")))
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            base = "http://127.0.0.1:" + port + "/api/v1/self";
            int imap = server.listeners().imapPorts().get(false);
            int pop3 = server.listeners().otherPorts().get("pop3");

            // made by the user with their own login; the password is shown once
            HttpResponse<String> made = send("POST", "/app-passwords", A, "alice-secret",
                    "{\"name\":\"phone\",\"scopes\":[\"imap\"]}");
            assertEquals(201, made.statusCode(), made.body());
            String phone = JSON.readTree(made.body()).get("password").asText();
            assertTrue(phone.length() >= 24, phone);
            JsonNode listed = JSON.readTree(send("GET", "/app-passwords", A, "alice-secret", null).body());
            assertEquals(1, listed.size());
            assertEquals("phone", listed.get(0).get("name").asText());
            assertTrue(listed.get(0).get("password") == null && !listed.toString().contains("$"), "no hash is shown");

            imapLogin(imap, A, phone, "a1 OK");
            imapLogin(imap, A, phone, "a1 OK"); // a second time: the session cache is not what lets it in
            pop3Login(pop3, A, phone, "-ERR");
            pop3Login(pop3, A, "alice-secret", "+OK");
            assertEquals(401, send("GET", "/app-passwords", A, phone, null).statusCode(),
                    "an app password does not open self-service");

            // bob sees his own (none), and cannot revoke alice's
            assertEquals("[]", send("GET", "/app-passwords", B, "bob-secret", null).body());
            assertEquals(404, send("DELETE", "/app-passwords/phone", B, "bob-secret", null).statusCode());
            imapLogin(imap, A, phone, "a1 OK");
            assertEquals(401, send("GET", "/app-passwords", A, "wrong", null).statusCode());

            // scope, networks and expiry are checked at login
            ClusterAppPasswords store = ClusterAppPasswords.start(server.system());
            store.add(A, new AppPassword("office", PasswordSchemes.hash("office-pass"), List.of("imap"), null,
                    List.of("10.0.0.0/8"), Instant.now())).toCompletableFuture().get(20, TimeUnit.SECONDS);
            store.add(A, new AppPassword("old", PasswordSchemes.hash("old-pass"), List.of("imap", "pop3"),
                    Instant.now().minusSeconds(60), List.of(), Instant.now())).toCompletableFuture().get(20, TimeUnit.SECONDS);
            imapLogin(imap, A, "office-pass", "a1 NO");
            imapLogin(imap, A, "old-pass", "a1 NO");
            pop3Login(pop3, A, "old-pass", "-ERR");

            // revoked: refused at once, on the same node that let it in a moment ago
            assertEquals(200, send("DELETE", "/app-passwords/phone", A, "alice-secret", null).statusCode());
            imapLogin(imap, A, phone, "a1 NO");

            // the user's own password change, then IMAP with the new one only
            assertEquals(200, send("PUT", "/password", A, "alice-secret", "{\"password\":\"alice-new\"}").statusCode());
            imapLogin(imap, A, "alice-new", "a1 OK");
            imapLogin(imap, A, "alice-secret", "a1 NO");
            assertEquals(401, send("GET", "/app-passwords", A, "alice-secret", null).statusCode());

            // bad input is a 400, never a crash
            assertEquals(400, send("POST", "/app-passwords", A, "alice-new", "{\"name\":\"x\",\"scopes\":[\"ftp\"]}")
                    .statusCode());
            assertEquals(400, send("POST", "/app-passwords", A, "alice-new", "{\"name\":\"../x\",\"scopes\":[\"imap\"]}")
                    .statusCode());
            assertEquals(400, send("POST", "/app-passwords", A, "alice-new", "not json").statusCode());
        }
    }

    private HttpResponse<String> send(String method, String path, String user, String password, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void imapLogin(int port, String user, String password, String expected) throws Exception {
        try (Wire imap = Wire.imap(port)) {
            imap.send("a1 LOGIN " + user + " \"" + password + "\"").expect(expected);
        }
    }

    private static void pop3Login(int port, String user, String password, String expected) throws Exception {
        try (Wire pop3 = Wire.pop3(port)) {
            assertEquals("+OK", pop3.send("USER " + user).line());
            String answer = pop3.send("PASS " + password).line();
            assertTrue(answer.startsWith(expected), answer);
        }
    }
}
