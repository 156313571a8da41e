package io.mailfleet.protocols.sasl;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** XOAUTH2 and OAUTHBEARER (RFC 7628) messages as clients send them, and the malformed ones they must not. */
class BearerMechanismsTest {

    private static final SaslMechanisms REGISTRY = SaslMechanisms.WITH_TOKENS;
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln-_~+/=";

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static SaslCredentials.Token token(SaslStep step) {
        SaslStep.Authenticate a = assertInstanceOf(SaslStep.Authenticate.class, step);
        return assertInstanceOf(SaslCredentials.Token.class, a.credentials());
    }

    private static SaslStep xoauth2(String message) {
        return REGISTRY.start("XOAUTH2", true).begin(b64(message));
    }

    private static SaslStep oauthbearer(String message) {
        return REGISTRY.start("oauthbearer", true).begin(b64(message));
    }

    @Test
    void registryOffersTheTokenMechanismsAfterThePasswordOnesAndOnlyWithTls() {
        assertEquals(List.of("PLAIN", "LOGIN", "OAUTHBEARER", "XOAUTH2"), REGISTRY.offered(true));
        assertEquals(List.of(), REGISTRY.offered(false));
        assertEquals(new SaslStep.Refused(SaslRefusal.ENCRYPTION_REQUIRED), REGISTRY.start("XOAUTH2", false).begin(null));
        assertEquals(new SaslStep.Refused(SaslRefusal.UNSUPPORTED_MECHANISM),
                SaslMechanisms.STANDARD.start("XOAUTH2", true).begin(null));
    }

    @Test
    void thunderbirdXoauth2() {
        SaslCredentials.Token t = token(xoauth2("user=alice@example.com\u0001auth=Bearer " + TOKEN + "\u0001\u0001"));
        assertEquals("XOAUTH2", t.mechanism());
        assertEquals("alice@example.com", t.authorizationId());
        assertEquals(TOKEN, t.token());
        assertEquals(TOKEN, token(xoauth2("user=alice@example.com\u0001auth=bearer " + TOKEN + "\u0001")).token(),
                "scheme in any case, last ^A missing");
    }

    @Test
    void xoauth2AfterTheEmptyChallenge() {
        SaslAuthentication a = REGISTRY.start("XOAUTH2", true);
        assertEquals("", assertInstanceOf(SaslStep.Challenge.class, a.begin(null)).base64());
        assertEquals(TOKEN, token(a.respond(b64("user=a@example.com\u0001auth=Bearer " + TOKEN + "\u0001\u0001"))).token());
    }

    @Test
    void oauthbearerWithAndWithoutAuthzid() {
        SaslCredentials.Token t = token(oauthbearer("n,a=alice@example.com,\u0001host=mail.example.com\u0001port=993"
                + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001"));
        assertEquals("OAUTHBEARER", t.mechanism());
        assertEquals("alice@example.com", t.authorizationId());
        assertEquals(TOKEN, t.token());
        assertEquals("", token(oauthbearer("n,,\u0001auth=Bearer " + TOKEN + "\u0001\u0001")).authorizationId());
        assertEquals("we,ird=name", token(oauthbearer("n,a=we=2Cird=3Dname,\u0001auth=Bearer " + TOKEN + "\u0001\u0001"))
                .authorizationId(), "RFC 5801 saslname escapes");
    }

    /** An unreadable bearer message is checked as an empty token (refused, logged and counted by the token check). */
    private static void assertUnreadable(SaslStep step, String what) {
        SaslCredentials.Token t = token(step);
        assertEquals("", t.token(), what);
        assertEquals("", t.authorizationId(), what);
    }

    @Test
    void malformedMessagesAreCheckedAsInvalidTokens() {
        assertUnreadable(xoauth2("auth=Bearer " + TOKEN + "\u0001\u0001"), "malformed");
        assertUnreadable(xoauth2("user=\u0001auth=Bearer " + TOKEN + "\u0001\u0001"), "malformed");
        assertUnreadable(xoauth2("user=a@example.com\u0001auth=Basic " + TOKEN + "\u0001\u0001"), "malformed");
        assertUnreadable(xoauth2("user=a@example.com\u0001auth=Bearer to ken\u0001\u0001"), "malformed");
        assertUnreadable(xoauth2("user=a\0b\u0001auth=Bearer " + TOKEN + "\u0001\u0001"), "malformed");
        assertUnreadable(oauthbearer("p=tls-unique,,\u0001auth=Bearer " + TOKEN + "\u0001\u0001"),
                "channel binding is not offered");
        assertUnreadable(oauthbearer("n,a=x=41y,\u0001auth=Bearer " + TOKEN + "\u0001\u0001"), "malformed");
        assertUnreadable(oauthbearer("n,,\u0001host=x\u0001\u0001"), "malformed");
        for (String truncated : new String[] {"n,,\u0001\u0001", "n,,\u0001", "\u0001\u0001", "\u0001", "", "n,a=u,\u0001\u0001"}) {
            assertUnreadable(oauthbearer(truncated), truncated);
        }
        for (String truncated : new String[] {"", "\u0001", "\u0001\u0001", "user=", "auth=Bearer", "user=a\u0001auth="}) {
            assertUnreadable(xoauth2(truncated), truncated);
        }
        assertUnreadable(oauthbearer("n,,\u0001auth=Bearer " + TOKEN), "malformed");
        assertUnreadable(xoauth2("user=" + "u".repeat(400) + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001"), "user too long");
    }

    @Test
    void refusedTokenGetsTheErrorChallengeThenTheFinalRefusalWhateverTheClientAnswers() {
        for (String answer : List.of(b64("\u0001"), "", "*", "AQ==")) {
            SaslAuthentication a = REGISTRY.start("OAUTHBEARER", true);
            token(a.begin(b64("n,,\u0001auth=Bearer " + TOKEN + "\u0001\u0001")));
            SaslStep.Challenge c = assertInstanceOf(SaslStep.Challenge.class, a.tokenRefused("{\"status\":\"invalid_token\"}"));
            assertEquals(b64("{\"status\":\"invalid_token\"}"), c.base64());
            assertEquals(new SaslStep.Refused(SaslRefusal.INVALID_TOKEN), a.respond(answer), answer);
        }
    }

    @Test
    void aResponseTooLongForTheFramingEndsTheExchange() {
        SaslAuthentication a = REGISTRY.start("XOAUTH2", true);
        a.begin(null);
        assertUnreadable(a.tooLong(), "line over the framing limit");
        SaslAuthentication b = REGISTRY.start("OAUTHBEARER", true);
        b.begin(null);
        assertUnreadable(b.respond("A".repeat(SaslAuthentication.MAX_RESPONSE_CHARS + 4)), "over the response limit");
        assertEquals(new SaslStep.Refused(SaslRefusal.BAD_BASE64), REGISTRY.start("XOAUTH2", true).begin("!!"),
                "not base64 stays a protocol error");
        assertEquals(new SaslStep.Refused(SaslRefusal.TOO_LONG), SaslMechanisms.STANDARD.start("PLAIN", true)
                .begin("A".repeat(SaslAuthentication.MAX_RESPONSE_CHARS + 4)), "password mechanisms keep their rule");
    }
}
