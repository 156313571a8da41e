package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManagementApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApiFixture api;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(true);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private static Reply call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(Optional.of("application/json"), r.headers().firstValue("Content-Type"), path + ": " + r.body());
        return new Reply(r.statusCode(), JSON.readTree(r.body()), r);
    }

    private static Reply call(String method, String path, String body) throws Exception {
        return call(method, path, body, ApiFixture.TOKEN);
    }

    private static void assertError(Reply r, int status, String code, String message) {
        assertEquals(status, r.status(), r.body().toString());
        if (code != null) {
            assertEquals(code, r.body().get("code").asText(), r.body().toString());
        }
        if (message != null) {
            assertEquals(message, r.body().get("message").asText());
        }
    }

    @Test
    void everyRouteNeedsTheToken() throws Exception {
        for (String path : List.of("/api/v1/accounts", "/api/v1/health", "/api/v1/cluster/members", "/api/v1/nowhere", "/")) {
            Reply r = call("GET", path, null, null);
            assertError(r, 401, "unauthorized", null);
            assertTrue(r.raw().headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
            assertError(call("GET", path, null, "wrong-token"), 401, "unauthorized", "invalid bearer token");
        }
        assertError(call("POST", "/api/v1/accounts", "{\"address\":\"x@y.org\",\"password\":\"p\"}", "nope"), 401, "unauthorized", null);
        assertTrue(api.directory.view().account("x@y.org").isEmpty());
    }

    @Test
    void accountsLifecycle() throws Exception {
        Reply r = call("POST", "/api/v1/accounts", "{\"address\":\"Alice@Example.org\",\"password\":\"s3cret\"}");
        assertEquals(201, r.status(), r.body().toString());
        assertEquals("alice@example.org", r.body().get("address").asText());
        assertTrue(r.body().get("warnings").get(0).asText().contains("uppercase"));
        assertTrue(io.mailfleet.core.auth.PasswordSchemes.verify("s3cret",
                api.directory.view().account("alice@example.org").orElseThrow().passwordHash()));

        assertError(call("POST", "/api/v1/accounts", "{\"address\":\"alice@example.org\",\"password\":\"x\"}"),
                409, "exists", "'alice@example.org' already exists");
        assertError(call("POST", "/api/v1/accounts", "{\"address\":\"bob\",\"password\":\"x\"}"),
                400, "invalid-address", "'bob' should include the domain (eg: user@example.com)");
        assertError(call("POST", "/api/v1/accounts", "{\"address\":\"bob@example.org\",\"password\":\"\"}"),
                400, "empty-password", "Password must not be empty");
        assertError(call("POST", "/api/v1/accounts", "{\"address\":\"bob@example.org\"}"),
                400, "invalid-request", "field 'password' is required");
        assertError(call("POST", "/api/v1/accounts", "{\"address\":\"bob@example.org\",\"password\":5}"),
                400, "invalid-request", "field 'password' must be a string");

        String before = api.directory.view().account("alice@example.org").orElseThrow().passwordHash();
        r = call("PUT", "/api/v1/accounts/alice@example.org/password", "{\"password\":\"new\"}");
        assertEquals(200, r.status(), r.body().toString());
        assertTrue(io.mailfleet.core.auth.PasswordSchemes.verify("new",
                api.directory.view().account("alice@example.org").orElseThrow().passwordHash()));
        assertError(call("PUT", "/api/v1/accounts/nobody@example.org/password", "{\"password\":\"new\"}"),
                404, "not-found", "'nobody@example.org' does not exist");

        api.usage.put("alice@example.org", 1024L);
        call("PUT", "/api/v1/quotas/alice@example.org", "{\"quota\":\"10k\"}");
        call("POST", "/api/v1/aliases", "{\"alias\":\"info@example.org\",\"target\":\"alice@example.org\"}");
        r = call("GET", "/api/v1/accounts", null);
        assertEquals(200, r.status());
        JsonNode alice = r.body().get(0);
        assertEquals("alice@example.org", alice.get("address").asText());
        assertEquals(1024, alice.get("quota").get("usedBytes").asLong());
        assertEquals(10240, alice.get("quota").get("limitBytes").asLong());
        assertEquals(10, alice.get("quota").get("percent").asInt());
        assertEquals("info@example.org", alice.get("aliases").get(0).asText());

        r = call("DELETE", "/api/v1/accounts/alice@example.org", null);
        assertEquals(200, r.status(), r.body().toString());
        assertTrue(api.directory.view().account("alice@example.org").isEmpty());
        assertEquals(List.of(), api.directory.view().aliasTargets("info@example.org"));
        assertError(call("DELETE", "/api/v1/accounts/alice@example.org", null), 404, "not-found", null);
    }

    @Test
    void invalidJsonIs400WithTheParserMessage() throws Exception {
        Reply r = call("POST", "/api/v1/accounts", "{\"address\": \"a@b.org\", ");
        assertError(r, 400, "invalid-json", null);
        assertTrue(r.body().get("message").asText().startsWith("invalid JSON: "), r.body().toString());
        assertTrue(r.body().get("message").asText().contains("line 1"), r.body().toString());
        assertError(call("POST", "/api/v1/aliases", "[1,2]"), 400, "invalid-json", "the request body must be a JSON object");
        assertError(call("POST", "/api/v1/aliases", ""), 400, "invalid-json", "the request body must be a JSON object");
        assertTrue(api.directory.view().account("a@b.org").isEmpty());
    }

    /** Issue 12: invalid UTF-8 once created the account {@code ��@example.test}. */
    @Test
    void namesThatAreNotValidUtf8OrNotAddressesAreRefused() throws Exception {
        int accountsBefore = api.directory.view().accountCount();
        int aliasesBefore = api.directory.view().aliasCount();
        byte[] prefix = "{\"address\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] suffix = "@example.test\",\"password\":\"pw\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + 2 + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xff;
        body[prefix.length + 1] = (byte) 0xfe;
        System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
        HttpResponse<String> raw = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/accounts"))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, raw.statusCode(), raw.body());
        JsonNode err = JSON.readTree(raw.body());
        assertEquals("invalid-utf8", err.get("code").asText(), raw.body());
        assertEquals("the request body is not valid UTF-8 (byte " + prefix.length + "): send names as UTF-8",
                err.get("message").asText());

        // U+FFFD is what a lenient decoder makes of such bytes (a CLI argument under a UTF-8 locale, or a path)
        assertError(call("POST", "/api/v1/accounts", "{\"address\":\"\uFFFD\uFFFD@example.test\",\"password\":\"pw\"}"),
                400, "invalid-address", "'\\u{FFFD}\\u{FFFD}@example.test' is not valid UTF-8 (it contains U+FFFD, the replacement for undecodable bytes)");
        assertError(call("POST", "/api/v1/accounts", "{\"address\":\"\\ud800x@example.test\",\"password\":\"pw\"}"),
                400, "invalid-address", null);
        assertError(call("POST", "/api/v1/accounts", "{\"address\":\"bell\\u0007@example.test\",\"password\":\"pw\"}"),
                400, "invalid-address", null);
        assertError(call("POST", "/api/v1/aliases", "{\"alias\":\"\uFFFD@example.test\",\"target\":\"a@example.test\"}"),
                400, "invalid-address", null);
        assertError(call("POST", "/api/v1/aliases", "{\"alias\":\"info@example.test\",\"target\":\"\uFFFD@example.test\"}"),
                400, "invalid-address", null);
        assertError(call("POST", "/api/v1/restrictions/send", "{\"address\":\"\uFFFD@example.test\"}"),
                400, "invalid-address", null);
        assertError(call("PUT", "/api/v1/quotas/%FF%FE@example.test", "{\"quota\":\"10M\"}"), 400, "invalid-address", null);
        assertError(call("DELETE", "/api/v1/restrictions/send?address=%FF@example.test", null), 400, "invalid-address", null);
        assertError(call("POST", "/api/v1/accounts", "{\"address\":\"a b@example.test\",\"password\":\"pw\"}"),
                400, "invalid-address", null);
        assertEquals(accountsBefore, api.directory.view().accountCount(), "no account was created");
        assertEquals(aliasesBefore, api.directory.view().aliasCount(), "no alias was created");

        Reply ok = call("POST", "/api/v1/accounts", "{\"address\":\"jörg@bücher.example\",\"password\":\"pw\"}");
        assertEquals(201, ok.status(), "valid UTF-8 names stay allowed: " + ok.body());
        assertEquals("jörg@xn--bcher-kva.example", ok.body().get("address").asText());
        assertEquals(200, call("DELETE", "/api/v1/accounts/j%C3%B6rg@xn--bcher-kva.example", null).status());
    }

    @Test
    void aliasesQuotasRestrictionsDomains() throws Exception {
        call("POST", "/api/v1/accounts", "{\"address\":\"carol@corp.test\",\"password\":\"pw\"}");
        assertEquals(201, call("POST", "/api/v1/aliases", "{\"alias\":\"sales@corp.test\",\"target\":\"carol@corp.test\"}").status());
        assertError(call("POST", "/api/v1/aliases", "{\"alias\":\"carol@corp.test\",\"target\":\"x@corp.test\"}"),
                409, "is-account", "'carol@corp.test' is already defined as an account");
        Reply r = call("GET", "/api/v1/aliases", null);
        JsonNode sales = null;
        for (JsonNode n : r.body()) {
            if (n.get("alias").asText().equals("sales@corp.test")) {
                sales = n;
            }
        }
        assertEquals("carol@corp.test", sales.get("targets").get(0).asText());
        assertEquals(200, call("DELETE", "/api/v1/aliases?alias=sales@corp.test&target=carol@corp.test", null).status());
        assertTrue(api.directory.view().aliasTargets("sales@corp.test").isEmpty());

        assertError(call("PUT", "/api/v1/quotas/carol@corp.test", "{\"quota\":\"12X\"}"), 400, "invalid-quota", null);
        assertEquals(200, call("PUT", "/api/v1/quotas/carol@corp.test", "{\"quota\":\"1G\"}").status());
        assertEquals(Optional.of(1L << 30), api.directory.view().quota("carol@corp.test"));
        assertEquals(200, call("DELETE", "/api/v1/quotas/carol@corp.test", null).status());
        assertEquals(Optional.empty(), api.directory.view().quota("carol@corp.test"));
        assertError(call("PUT", "/api/v1/quotas/nobody@corp.test", "{\"quota\":\"1G\"}"), 404, "not-found", null);

        assertEquals(201, call("POST", "/api/v1/restrictions/send", "{\"address\":\"carol@corp.test\"}").status());
        assertError(call("POST", "/api/v1/restrictions/send", "{\"address\":\"carol@corp.test\"}"),
                409, "already-restricted", "User 'carol@corp.test' already denied to send mails");
        assertEquals("carol@corp.test", call("GET", "/api/v1/restrictions/send", null).body().get(0).asText());
        assertEquals(0, call("GET", "/api/v1/restrictions/receive", null).body().size());
        assertError(call("GET", "/api/v1/restrictions/sideways", null), 400, "invalid-argument", null);
        assertEquals(200, call("DELETE", "/api/v1/restrictions/send?address=carol@corp.test", null).status());
        assertFalse(api.directory.view().isSendDenied("carol@corp.test"));

        r = call("GET", "/api/v1/domains", null);
        boolean found = false;
        for (JsonNode d : r.body()) {
            if (d.get("domain").asText().equals("corp.test")) {
                found = true;
                assertEquals(1, d.get("accounts").asInt());
            }
        }
        assertTrue(found, r.body().toString());
    }

    @Test
    void clusterAndHealth() throws Exception {
        Reply r = call("GET", "/api/v1/cluster/members", null);
        assertEquals(200, r.status());
        assertEquals("pekko://mailfleet@127.0.0.1:7355", r.body().get("self").asText());
        assertEquals("pekko://mailfleet@127.0.0.1:7355", r.body().get("leader").asText());
        assertEquals(2, r.body().get("members").size());
        assertEquals("Up", r.body().get("members").get(0).get("status").asText());
        assertEquals("dc-default", r.body().get("members").get(0).get("roles").get(0).asText());

        r = call("GET", "/api/v1/health", null);
        assertEquals(200, r.status());
        assertEquals("ok", r.body().get("status").asText());
        assertEquals(42, r.body().get("uptimeSeconds").asInt());
        api.selfStatus = "Leaving";
        try {
            r = call("GET", "/api/v1/health", null);
            assertEquals(503, r.status());
            assertEquals("Leaving", r.body().get("memberStatus").asText());
        } finally {
            api.selfStatus = "Up";
        }
    }

    @Test
    void unknownRoutesAndMethodsGiveJsonErrors() throws Exception {
        assertError(call("GET", "/api/v1/nothing-here", null), 404, "not-found", null);
        assertError(call("PATCH", "/api/v1/accounts", "{}"), 405, "method-not-allowed", null);
    }
}
