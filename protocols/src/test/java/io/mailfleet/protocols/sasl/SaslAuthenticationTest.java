package io.mailfleet.protocols.sasl;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rule of the shared SASL framework, on the text a session hands it. */
class SaslAuthenticationTest {

    private static final SaslMechanisms REGISTRY = SaslMechanisms.STANDARD;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static SaslCredentials.Password password(SaslStep step) {
        SaslStep.Authenticate a = assertInstanceOf(SaslStep.Authenticate.class, step);
        return assertInstanceOf(SaslCredentials.Password.class, a.credentials());
    }

    private static void assertRefused(SaslRefusal expected, SaslStep step) {
        assertEquals(new SaslStep.Refused(expected), step);
    }

    private static SaslStep plain(String initialResponse) {
        return REGISTRY.start("PLAIN", true).begin(initialResponse);
    }

    // ---- PLAIN

    @Test
    void plainInitialResponseGivesTheCredentials() {
        SaslCredentials.Password p = password(plain(b64("\0alice@example.com\0secret")));
        assertEquals("alice@example.com", p.authenticationId());
        assertEquals("alice@example.com", p.authorizationId());
        assertEquals("secret", p.password());
    }

    @Test
    void plainWithoutInitialResponseSendsAnEmptyChallengeFirst() {
        SaslAuthentication a = REGISTRY.start("plain", true);
        SaslStep.Challenge c = assertInstanceOf(SaslStep.Challenge.class, a.begin(null));
        assertEquals("", c.base64());
        assertEquals("secret", password(a.respond(b64("\0alice@example.com\0secret") + " ")).password());
    }

    @Test
    void authzidEqualToAuthcidInAnyCaseIsAccepted() {
        SaslCredentials.Password p = password(plain(b64("ALICE@example.com\0alice@EXAMPLE.com\0pw")));
        assertEquals("alice@EXAMPLE.com", p.authenticationId());
    }

    @Test
    void authzidOfAnotherUserIsRefused() {
        assertRefused(SaslRefusal.AUTHORIZATION_ID_REFUSED, plain(b64("bob@example.com\0alice@example.com\0pw")));
    }

    @Test
    void emptyAuthcidIsRefused() {
        assertRefused(SaslRefusal.EMPTY_AUTHENTICATION_ID, plain(b64("\0\0pw")));
        // an authzid does not stand in for a missing authcid
        assertRefused(SaslRefusal.EMPTY_AUTHENTICATION_ID, plain(b64("alice@example.com\0\0pw")));
    }

    @Test
    void missingOrExtraNulPartsAreRefused() {
        assertRefused(SaslRefusal.MISSING_PARTS, plain(b64("alice@example.com")));
        assertRefused(SaslRefusal.MISSING_PARTS, plain(b64("\0alice@example.com")));
        assertRefused(SaslRefusal.MISSING_PARTS, plain(b64("\0alice@example.com\0pw\0more")));
        assertRefused(SaslRefusal.MISSING_PARTS, plain("="));
    }

    @Test
    void emptyPasswordGoesToTheAuthenticatorWhichCountsTheFailure() {
        assertEquals("", password(plain(b64("\0alice@example.com\0"))).password());
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] raw = {0, 'a', (byte) 0xC3, 0, 'p', 'w'};
        assertRefused(SaslRefusal.INVALID_TEXT, plain(b64(raw)));
        assertEquals("pässwörd", password(plain(b64("\0alice@example.com\0pässwörd"))).password());
    }

    @Test
    void badBase64IsRefusedAsSuch() {
        assertRefused(SaslRefusal.BAD_BASE64, plain("!!!notbase64"));
        SaslAuthentication a = REGISTRY.start("PLAIN", true);
        a.begin(null);
        assertRefused(SaslRefusal.BAD_BASE64, a.respond("AGFsaWNl AHB3"));
    }

    @Test
    void starCancelsAsInitialResponseOrAfterAChallenge() {
        assertRefused(SaslRefusal.ABORTED, plain("*"));
        SaslAuthentication a = REGISTRY.start("LOGIN", true);
        a.begin(null);
        a.respond(b64("alice@example.com"));
        assertRefused(SaslRefusal.ABORTED, a.respond("*"));
    }

    @Test
    void overLongResponsesAndFieldsAreRefused() {
        assertRefused(SaslRefusal.TOO_LONG, plain("A".repeat(SaslAuthentication.MAX_RESPONSE_CHARS + 4)));
        String longUser = "u".repeat(SaslIdentityRules.MAX_IDENTITY_OCTETS + 1);
        assertRefused(SaslRefusal.TOO_LONG, plain(b64("\0" + longUser + "\0pw")));
        assertRefused(SaslRefusal.TOO_LONG, plain(b64(longUser + "\0alice@example.com\0pw")));
        String longPassword = "p".repeat(SaslIdentityRules.MAX_PASSWORD_OCTETS + 1);
        assertRefused(SaslRefusal.TOO_LONG, plain(b64("\0alice@example.com\0" + longPassword)));
        String longest = "p".repeat(SaslIdentityRules.MAX_PASSWORD_OCTETS);
        assertEquals(longest, password(plain(b64("\0alice@example.com\0" + longest))).password());
    }

    // ---- LOGIN

    @Test
    void loginAsksUserThenPassword() {
        SaslAuthentication a = REGISTRY.start("LOGIN", true);
        SaslStep.Challenge user = assertInstanceOf(SaslStep.Challenge.class, a.begin(null));
        assertEquals("VXNlcm5hbWU6", user.base64());
        SaslStep.Challenge pass = assertInstanceOf(SaslStep.Challenge.class, a.respond(b64("alice@example.com")));
        assertEquals("UGFzc3dvcmQ6", pass.base64());
        SaslCredentials.Password p = password(a.respond(b64("secret")));
        assertEquals("alice@example.com", p.authenticationId());
        assertEquals("secret", p.password());
    }

    @Test
    void loginInitialResponseIsTheUserName() {
        SaslAuthentication a = REGISTRY.start("LOGIN", true);
        SaslStep.Challenge pass = assertInstanceOf(SaslStep.Challenge.class, a.begin(b64("alice@example.com")));
        assertArrayEquals("Password:".getBytes(StandardCharsets.US_ASCII), pass.data());
        assertEquals("alice@example.com", password(a.respond(b64("pw"))).authenticationId());
    }

    @Test
    void loginRefusesAnEmptyOrNulUserBeforeAskingThePassword() {
        SaslAuthentication a = REGISTRY.start("LOGIN", true);
        a.begin(null);
        assertRefused(SaslRefusal.EMPTY_AUTHENTICATION_ID, a.respond(""));
        assertRefused(SaslRefusal.EMPTY_AUTHENTICATION_ID, REGISTRY.start("LOGIN", true).begin("="));
        SaslAuthentication equalsSign = REGISTRY.start("LOGIN", true);
        equalsSign.begin(null);
        assertRefused(SaslRefusal.EMPTY_AUTHENTICATION_ID, equalsSign.respond("="));
        assertRefused(SaslRefusal.INVALID_TEXT, REGISTRY.start("LOGIN", true).begin(b64("alice\0bob")));
        SaslAuthentication b = REGISTRY.start("LOGIN", true);
        b.begin(b64("alice@example.com"));
        assertRefused(SaslRefusal.INVALID_TEXT, b.respond(b64("pw\0x")));
    }

    @Test
    void aResponseWithoutAnOutstandingChallengeIsAProgrammingError() {
        SaslAuthentication a = REGISTRY.start("PLAIN", true);
        password(a.begin(b64("\0alice@example.com\0pw")));
        assertThrows(IllegalStateException.class, () -> a.respond("x"));
        assertThrows(IllegalStateException.class, () -> a.begin(null));
    }

    // ---- registry and TLS-only policy

    @Test
    void registryAdvertisesPlainThenLogin() {
        assertEquals(List.of("PLAIN", "LOGIN"), REGISTRY.names());
        assertEquals("PLAIN LOGIN", REGISTRY.offeredList(true));
    }

    @Test
    void passwordMechanismsNeedTlsWhenTlsIsConfigured() {
        assertTrue(TlsOnlyPolicy.secretsAllowed(true, true));
        assertTrue(TlsOnlyPolicy.secretsAllowed(false, false), "no certificate at all: nothing to upgrade to");
        assertTrue(!TlsOnlyPolicy.secretsAllowed(false, true));
        assertEquals(List.of(), REGISTRY.offered(false));
        assertRefused(SaslRefusal.ENCRYPTION_REQUIRED, REGISTRY.start("PLAIN", false).begin(b64("\0a\0b")));
        // with nothing usable in clear, any name gets "use TLS"
        assertRefused(SaslRefusal.ENCRYPTION_REQUIRED, REGISTRY.start("CRAM-MD5", false).begin(null));
    }

    @Test
    void unknownMechanismIsUnsupported() {
        SaslAuthentication a = REGISTRY.start("XOAUTH2", true);
        assertEquals(null, a.mechanismName());
        assertRefused(SaslRefusal.UNSUPPORTED_MECHANISM, a.begin("dG9rZW4="));
    }

    @Test
    void aMechanismWithoutSecretsInClearIsOfferedWithoutTls() {
        SaslMechanism external = new SaslMechanism() {
            @Override
            public String name() {
                return "EXTERNAL";
            }

            @Override
            public boolean sendsSecretInClear() {
                return false;
            }

            @Override
            public SaslExchange newExchange() {
                return new SaslExchange() {
                    @Override
                    public byte[] initialChallenge() {
                        return new byte[0];
                    }

                    @Override
                    public SaslStep evaluate(byte[] response) {
                        return new SaslStep.Authenticate(new SaslCredentials.Token("EXTERNAL", "", "cert"));
                    }
                };
            }
        };
        SaslMechanisms registry = new SaslMechanisms(List.of(new PlainMechanism(), external));
        assertEquals(List.of("EXTERNAL"), registry.offered(false));
        assertRefused(SaslRefusal.UNSUPPORTED_MECHANISM, registry.start("CRAM-MD5", false).begin(null));
        assertRefused(SaslRefusal.ENCRYPTION_REQUIRED, registry.start("PLAIN", false).begin(null));
        SaslStep.Authenticate done = assertInstanceOf(SaslStep.Authenticate.class, registry.start("external", false).begin("="));
        assertInstanceOf(SaslCredentials.Token.class, done.credentials());
        assertThrows(IllegalArgumentException.class, () -> new SaslMechanisms(List.of(new PlainMechanism(), new PlainMechanism())));
    }

    @Test
    void credentialsNeverPrintTheSecret() {
        SaslCredentials.Password p = password(plain(b64("\0alice@example.com\0hunter2")));
        assertTrue(!p.toString().contains("hunter2"), p.toString());
    }
}
