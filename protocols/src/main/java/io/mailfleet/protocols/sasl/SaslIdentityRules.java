package io.mailfleet.protocols.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The rules every mechanism applies to what the client names, so PLAIN, LOGIN and the mechanisms
 * that follow agree: fields are UTF-8 without NUL, the authentication identity is not empty, the
 * authorization identity is empty or the same user (case-insensitive), and fields have length limits.
 */
public final class SaslIdentityRules {

    /** Longest authentication or authorization identity, in octets (an address is at most 254). */
    public static final int MAX_IDENTITY_OCTETS = 320;
    /** Longest password, in octets (RFC 4616 asks for at least 255). */
    public static final int MAX_PASSWORD_OCTETS = 1024;

    private SaslIdentityRules() {
    }

    /** Password credentials from the three raw fields, or the refusal the first broken rule gives. */
    public static SaslStep password(byte[] authzid, byte[] authcid, byte[] password) {
        if (authzid.length > MAX_IDENTITY_OCTETS || authcid.length > MAX_IDENTITY_OCTETS
                || password.length > MAX_PASSWORD_OCTETS) {
            return new SaslStep.Refused(SaslRefusal.TOO_LONG);
        }
        String authz = text(authzid);
        String authc = text(authcid);
        String pass = text(password);
        if (authz == null || authc == null || pass == null) {
            return new SaslStep.Refused(SaslRefusal.INVALID_TEXT);
        }
        if (authc.isEmpty()) {
            return new SaslStep.Refused(SaslRefusal.EMPTY_AUTHENTICATION_ID);
        }
        SaslRefusal authorization = authorization(authz, authc);
        if (authorization != null) {
            return new SaslStep.Refused(authorization);
        }
        return new SaslStep.Authenticate(new SaslCredentials.Password(authc, authc, pass));
    }

    /**
     * Null when {@code authzid} is acceptable for {@code authcid} (empty, or the same user in any
     * case); otherwise the refusal: the server has no proxy authorization.
     */
    public static SaslRefusal authorization(String authzid, String authcid) {
        return authzid.isEmpty() || authzid.equalsIgnoreCase(authcid) ? null : SaslRefusal.AUTHORIZATION_ID_REFUSED;
    }

    /** The field as text, or null when it is not valid UTF-8 or holds a NUL. */
    public static String text(byte[] field) {
        for (byte b : field) {
            if (b == 0) {
                return null;
            }
        }
        return textAllowingControls(field);
    }

    /** The octets as text (^A separators of the bearer-token mechanisms kept), or null when not valid UTF-8 or holding a NUL. */
    static String textAllowingControls(byte[] field) {
        for (byte b : field) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(field)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
