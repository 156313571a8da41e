package io.mailfleet.protocols.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** The rules XOAUTH2 and OAUTHBEARER share: the {@code auth=Bearer <token>} value and the user's limits. */
final class BearerTokens {

    /** RFC 6750 b64token: what a bearer token may consist of. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private BearerTokens() {
    }

    /**
     * Token credentials for {@code user} (may be empty when {@code userRequired} is false) from the
     * {@code auth} value, or the refusal.
     */
    static SaslStep credentials(String mechanism, String user, String auth, boolean userRequired) {
        if (user.getBytes(StandardCharsets.UTF_8).length > SaslIdentityRules.MAX_IDENTITY_OCTETS) {
            return new SaslStep.Refused(SaslRefusal.TOO_LONG);
        }
        if (user.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return new SaslStep.Refused(SaslRefusal.INVALID_TEXT);
        }
        if (userRequired && user.isEmpty()) {
            return new SaslStep.Refused(SaslRefusal.EMPTY_AUTHENTICATION_ID);
        }
        if (auth.length() < 7 || !auth.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return new SaslStep.Refused(SaslRefusal.MISSING_PARTS);
        }
        String token = auth.substring(7).strip();
        if (!B64TOKEN.matcher(token).matches()) {
            return new SaslStep.Refused(SaslRefusal.INVALID_TEXT);
        }
        return new SaslStep.Authenticate(new SaslCredentials.Token(mechanism, user, token));
    }
}
