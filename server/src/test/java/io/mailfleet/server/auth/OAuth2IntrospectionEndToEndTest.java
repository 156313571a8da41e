package io.mailfleet.server.auth;

import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token validation by RFC 7662 introspection configured as docker-mailserver does it: ENABLE_OAUTH2=1
 * and OAUTH2_INTROSPECTION_URL with the client credentials in the URL's user part, against a real
 * provider (mock-oauth2-server) on 127.0.0.1. The provider sees a POST with HTTP Basic credentials;
 * an active token logs in over IMAP and POP3, a token it answers {@code active:false} for is refused.
 */
class OAuth2IntrospectionEndToEndTest {

    private static final String USER = "user@example.com";
    private static final String ISSUER_ID = "dms-idp";

    @TempDir
    static Path data;
    static MockOAuth2Server idp;
    static MailfleetServer server;

    @BeforeAll
    static void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
        String url = idp.url(ISSUER_ID + "/introspect").toString().replace("://", "://mail%2Dclient:s3cr%3At@");
        // the provider's introspection answer names the account in "username"
        Path conf = Files.writeString(data.resolve("mailfleet.conf"), "mailfleet.oauth2.username-claim = \"username\"\n");
        server = TestServers.start(TestServers.env(data.resolve("node"), Map.of(
                "ENABLE_OAUTH2", "1",
                "OAUTH2_INTROSPECTION_URL", url,
                "MAILFLEET_CONFIG", conf.toString(),
                "MAILFLEET_LOGIN_FAILURE_DELAY", "0s")), new FirstAccount(USER, "pw-unused-here", false));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (idp != null) {
            idp.shutdown();
        }
    }

    private static String xoauth2(String user, String token) {
        return Base64.getEncoder().encodeToString(("user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void activeTokenLogsInAndTheProviderIsAskedWithTheUrlsClientCredentials() throws Exception {
        String token = idp.issueToken(ISSUER_ID, "subject-1", "mail", Map.of("username", USER)).serialize();
        try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
            String ok = imap.send("a AUTHENTICATE XOAUTH2 " + xoauth2(USER, token)).line();
            assertTrue(ok.startsWith("a OK "), ok);
        }
        // the provider's requests in order (takeRequest fails when none comes): the one with this token
        RecordedRequest introspection;
        String body;
        do {
            introspection = idp.takeRequest(30, TimeUnit.SECONDS);
            body = introspection.getBody().readUtf8();
        } while (!body.contains(token));
        assertTrue(introspection.getPath().endsWith("/" + ISSUER_ID + "/introspect"), introspection.getPath());
        assertEquals("POST", introspection.getMethod());
        // RFC 6749 2.3.1: the URL's user part decoded (%2D is "-"), id and secret form-encoded, then Basic
        assertEquals("Basic " + Base64.getEncoder().encodeToString("mail-client:s3cr%3At".getBytes(StandardCharsets.UTF_8)),
                introspection.getHeader("Authorization"));
        assertEquals("token=" + token + "&token_type_hint=access_token", body);
        try (Wire pop3 = Wire.pop3(server.listeners().otherPorts().get("pop3"))) {
            String ok = pop3.send("AUTH XOAUTH2 " + xoauth2(USER, token)).line();
            assertTrue(ok.startsWith("+OK"), ok);
        }
    }

    @Test
    void tokenTheProviderCallsInactiveIsRefused() throws Exception {
        // signed by another issuer of the provider: its introspection answers {"active":false}
        String foreign = idp.issueToken("someone-else", "subject-1", "mail", Map.of("username", USER)).serialize();
        try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
            String challenge = imap.send("a AUTHENTICATE XOAUTH2 " + xoauth2(USER, foreign)).line();
            assertTrue(challenge.startsWith("+ "), challenge);
            String json = new String(Base64.getDecoder().decode(challenge.substring(2)), StandardCharsets.UTF_8);
            assertEquals("{\"status\":\"invalid_token\",\"schemes\":\"bearer\",\"scope\":\"openid email\"}", json);
            assertEquals("a NO [AUTHENTICATIONFAILED] Authentication failed.", imap.send("").line());
        }
    }
}
