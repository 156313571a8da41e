package io.mailfleet.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SASL XOAUTH2 and OAUTHBEARER against a real OIDC provider (mock-oauth2-server over HTTP on
 * 127.0.0.1): the node finds the provider's JWKS by OIDC discovery from the issuer and checks JWT
 * access tokens locally. Thunderbird-style XOAUTH2 and RFC 7628 OAUTHBEARER clients on IMAP (with and
 * without SASL-IR), SMTP submission, POP3 and ManageSieve over real sockets; expired, wrong-audience,
 * unsigned, HMAC-signed, foreign-user and 100 KB tokens are refused with the RFC 7628 error challenge
 * (or the protocol's length refusal) and count as failed logins; passwords keep working alongside.
 */
class OAuth2EndToEndTest {

    private static final String USER = "user@example.com";
    private static final String PASSWORD = "secret-pw";
    private static final String ISSUER_ID = "mailfleet-idp";
    private static final String AUDIENCE = "mailfleet";

    @TempDir
    static Path data;
    static MockOAuth2Server idp;
    static MailfleetServer server;

    @BeforeAll
    static void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
        String issuer = idp.issuerUrl(ISSUER_ID).toString();
        Path conf = Files.writeString(data.resolve("mailfleet.conf"), "mailfleet.oauth2 {\n"
                + "  enabled = true\n"
                + "  issuer = \"" + issuer + "\"\n"
                + "  audience = \"" + AUDIENCE + "\"\n"
                + "}\n");
        server = TestServers.start(TestServers.env(data.resolve("node"), Map.of(
                "MAILFLEET_CONFIG", conf.toString(),
                "MAILFLEET_LOGIN_MAX_FAILURES", "3",
                "MAILFLEET_LOGIN_FAILURE_DELAY", "0s")), new FirstAccount(USER, PASSWORD, false));
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

    private static String token(String email, String audience, long expirySeconds) {
        return idp.issueToken(ISSUER_ID, "subject-1", audience, Map.of("email", email), expirySeconds).serialize();
    }

    private static String token() {
        return token(USER, AUDIENCE, 3600);
    }

    private static String xoauth2(String user, String token) {
        return b64("user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001");
    }

    private static String oauthbearer(String user, String token) {
        return b64("n,a=" + user + ",\u0001host=mail.example.com\u0001port=143\u0001auth=Bearer " + token + "\u0001\u0001");
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    private static int imapPort() {
        return server.listeners().imapPorts().get(false);
    }

    @Test
    void imapAdvertisesAndAcceptsThunderbirdStyleXoauth2WithSaslIr() throws Exception {
        try (Wire imap = Wire.imap(imapPort())) {
            String caps = imap.command("c", "CAPABILITY").get(0);
            assertTrue(caps.contains(" AUTH=PLAIN AUTH=LOGIN AUTH=OAUTHBEARER AUTH=XOAUTH2"), caps);
            String ok = imap.send("a AUTHENTICATE XOAUTH2 " + xoauth2(USER, token())).line();
            assertTrue(ok.startsWith("a OK "), ok);
            assertEquals("n OK NOOP completed.", Wire.last(imap.command("n", "NOOP")));
        }
    }

    @Test
    void imapOauthbearerAfterAnEmptyChallengeOpensTheUsersMailbox() throws Exception {
        try (Wire imap = Wire.imap(imapPort())) {
            assertEquals("+ ", imap.send("a AUTHENTICATE OAUTHBEARER").line());
            String ok = imap.send(oauthbearer(USER, token())).line();
            assertTrue(ok.startsWith("a OK "), ok);
            assertTrue(String.join("\n", imap.command("s", "SELECT INBOX")).contains("s OK [READ-WRITE]"));
        }
    }

    @Test
    void oauthbearerWithoutAuthzidTakesTheAccountFromTheToken() throws Exception {
        try (Wire imap = Wire.imap(imapPort())) {
            String ok = imap.send("a AUTHENTICATE OAUTHBEARER "
                    + b64("n,,\u0001auth=Bearer " + token() + "\u0001\u0001")).line();
            assertTrue(ok.startsWith("a OK "), ok);
        }
    }

    @Test
    void smtpSubmissionXoauth2() throws Exception {
        try (Wire smtp = Wire.smtp(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION))) {
            assertTrue(smtp.smtpReply().startsWith("220 "));
            String ehlo = smtp.send("EHLO client.example").smtpReply();
            assertTrue(ehlo.contains("AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2"), ehlo);
            assertEquals("235 2.7.0 Authentication successful",
                    smtp.send("AUTH XOAUTH2 " + xoauth2(USER, token())).smtpReply());
            assertEquals("250 2.1.0 Ok", smtp.send("MAIL FROM:<" + USER + ">").smtpReply());
        }
    }

    @Test
    void smtpRefusedTokenGetsTheJsonChallengeThen535() throws Exception {
        try (Wire smtp = Wire.smtp(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION))) {
            smtp.smtpReply();
            smtp.send("EHLO client.example").smtpReply();
            String challenge = smtp.send("AUTH XOAUTH2 " + xoauth2(USER, token(USER, "another-client", 3600))).smtpReply();
            assertTrue(challenge.startsWith("334 "), challenge);
            assertTrue(unb64(challenge.substring(4)).startsWith("{\"status\":\"invalid_token\""), unb64(challenge.substring(4)));
            assertEquals("535 5.7.8 Error: authentication failed: invalid token", smtp.send("").smtpReply());
            assertEquals("235 2.7.0 Authentication successful",
                    smtp.send("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).smtpReply(), "passwords work alongside");
        }
    }

    @Test
    void pop3AndManageSieve() throws Exception {
        try (Wire pop3 = Wire.pop3(server.listeners().otherPorts().get("pop3"))) {
            assertTrue(String.join("\n", pop3.pop3Multi("CAPA")).contains("SASL PLAIN LOGIN OAUTHBEARER XOAUTH2"));
            String ok = pop3.send("AUTH XOAUTH2 " + xoauth2(USER, token())).line();
            assertTrue(ok.startsWith("+OK"), ok);
            assertTrue(pop3.send("STAT").line().startsWith("+OK 0 "));
        }
        try (Wire sieve = Wire.sieve(server.listeners().otherPorts().get("managesieve"))) {
            assertTrue(sieve.greeting().contains("\"SASL\" \"PLAIN LOGIN OAUTHBEARER XOAUTH2\""), sieve.greeting());
            assertEquals("OK \"Logged in.\"",
                    sieve.send("AUTHENTICATE \"OAUTHBEARER\" \"" + oauthbearer(USER, token()) + "\"").line());
        }
    }

    /** One refused token on IMAP: the RFC 7628 error challenge, the client's ^A, the final NO. */
    private static void refusedOnImap(Wire imap, String tag, String initialResponse) throws Exception {
        String challenge = imap.send(tag + " AUTHENTICATE OAUTHBEARER " + initialResponse).line();
        assertTrue(challenge.startsWith("+ "), challenge);
        String json = unb64(challenge.substring(2));
        assertTrue(json.startsWith("{\"status\":\"invalid_token\",\"schemes\":\"bearer\""), json);
        assertTrue(json.contains("\"openid-configuration\":\"" + idp.issuerUrl(ISSUER_ID)), json);
        assertEquals(tag + " NO [AUTHENTICATIONFAILED] Authentication failed.", imap.send(b64("\u0001")).line());
    }

    @Test
    void expiredWrongAudienceAndForeignUserTokensAreRefused() throws Exception {
        try (Wire imap = Wire.imap(imapPort())) {
            refusedOnImap(imap, "a", oauthbearer(USER, token(USER, AUDIENCE, -600)));
            refusedOnImap(imap, "b", oauthbearer(USER, token(USER, "another-client", 3600)));
            assertEquals("c OK Capability completed.", Wire.last(imap.command("c", "CAPABILITY")),
                    "the session goes on after two failures");
        }
        try (Wire imap = Wire.imap(imapPort())) {
            // a valid token of another person, presented as this user
            refusedOnImap(imap, "a", oauthbearer(USER, token("other@example.com", AUDIENCE, 3600)));
            // a valid token naming an address that has no account here
            refusedOnImap(imap, "b", oauthbearer("", token("nobody@example.com", AUDIENCE, 3600)));
        }
    }

    @Test
    void unsignedAndHmacSignedTokensAreRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(idp.issuerUrl(ISSUER_ID).toString()).audience(AUDIENCE)
                .subject("subject-1").claim("email", USER).expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                .build();
        String none = new PlainJWT(claims).serialize();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hmac.sign(new MACSigner(secret));
        // alg=none with the signature of a real token glued on must not pass either
        String real = token();
        String noneWithSignature = none + real.substring(real.lastIndexOf('.') + 1);
        try (Wire imap = Wire.imap(imapPort())) {
            refusedOnImap(imap, "a", oauthbearer(USER, none.substring(0, none.length() - 1)));
            refusedOnImap(imap, "b", oauthbearer(USER, hmac.serialize()));
        }
        try (Wire imap = Wire.imap(imapPort())) {
            refusedOnImap(imap, "a", oauthbearer(USER, noneWithSignature));
        }
    }

    @Test
    void failedTokensCountTowardTheLoginFailureLimit() throws Exception {
        try (Wire imap = Wire.imap(imapPort())) {
            String bad = oauthbearer(USER, token(USER, AUDIENCE, -600));
            refusedOnImap(imap, "a", bad);
            refusedOnImap(imap, "b", bad);
            // the third failure (MAILFLEET_LOGIN_MAX_FAILURES=3) ends the session at once, without a challenge
            assertEquals("c NO [AUTHENTICATIONFAILED] Authentication failed.",
                    imap.send("c AUTHENTICATE OAUTHBEARER " + bad).line());
            assertEquals("* BYE Too many invalid authentication attempts.", imap.line());
            assertTrue(imap.closedByServer());
        }
    }

    @Test
    void aHundredKilobyteTokenIsRefusedLikeABadTokenAndTheSessionGoesOn() throws Exception {
        String huge = "A".repeat(100 * 1024);
        try (Wire imap = Wire.imap(imapPort())) {
            assertEquals("+ ", imap.send("a AUTHENTICATE XOAUTH2").line());
            // over the line limit: the exchange ends as for any invalid token, error challenge first
            String challenge = imap.send(xoauth2(USER, huge)).line();
            assertTrue(challenge.startsWith("+ ") && unb64(challenge.substring(2)).startsWith("{\"status\":\"invalid_token\""),
                    challenge);
            assertEquals("a NO [AUTHENTICATIONFAILED] Authentication failed.", imap.send("").line());
            assertEquals("* BAD Command line too long.", imap.send("a2 AUTHENTICATE XOAUTH2 " + xoauth2(USER, huge)).line(),
                    "as an initial response: the command line is over the limit");
            // a message over the SASL response limit (12,288 base64 characters) but within the line limit
            String big = xoauth2(USER, "A".repeat(10_000));
            assertTrue(imap.send("a3 AUTHENTICATE XOAUTH2 " + big).line().startsWith("+ "));
            // two failed logins so far (MAILFLEET_LOGIN_MAX_FAILURES=3): the session goes on
            assertEquals("a3 NO [AUTHENTICATIONFAILED] Authentication failed.", imap.send("").line());
            String ok = imap.send("b AUTHENTICATE XOAUTH2 " + xoauth2(USER, token())).line();
            assertTrue(ok.startsWith("b OK "), ok);
        }
        try (Wire smtp = Wire.smtp(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION))) {
            smtp.smtpReply();
            smtp.send("EHLO client.example").smtpReply();
            assertTrue(smtp.send("AUTH XOAUTH2").smtpReply().startsWith("334"));
            assertTrue(smtp.send(xoauth2(USER, huge)).smtpReply().startsWith("334 "), "the error challenge");
            assertEquals("535 5.7.8 Error: authentication failed: invalid token", smtp.send("").smtpReply());
            assertEquals("235 2.7.0 Authentication successful",
                    smtp.send("AUTH XOAUTH2 " + xoauth2(USER, token())).smtpReply());
        }
    }

    @Test
    void passwordLoginsKeepWorking() throws Exception {
        try (Wire imap = Wire.imap(imapPort())) {
            assertTrue(Wire.last(imap.command("a", "LOGIN " + USER + " " + PASSWORD)).startsWith("a OK "));
        }
    }
}
