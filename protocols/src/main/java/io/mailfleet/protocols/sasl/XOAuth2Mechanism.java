package io.mailfleet.protocols.sasl;

/**
 * Google's XOAUTH2 (Thunderbird, Outlook, most webmails): one response
 * {@code user=<address>^Aauth=Bearer <token>^A^A}, after an empty challenge if none was sent up front.
 * A refused token is answered with the JSON error challenge, and the client's empty reply with the
 * final failure ({@link SaslAuthentication#tokenRefused}).
 */
public final class XOAuth2Mechanism extends BearerMechanism {

    @Override
    public String name() {
        return "XOAUTH2";
    }

    @Override
    SaslStep parse(String text) {
        String user = null;
        String auth = null;
        // Fields end with ^A and the message with an empty field; some clients omit the last ^A.
        for (String field : text.split("\u0001", -1)) {
            if (field.startsWith("user=") && user == null) {
                user = field.substring(5);
            } else if (field.startsWith("auth=") && auth == null) {
                auth = field.substring(5);
            } else if (!field.isEmpty()) {
                return new SaslStep.Refused(SaslRefusal.MISSING_PARTS);
            }
        }
        if (user == null || auth == null) {
            return new SaslStep.Refused(SaslRefusal.MISSING_PARTS);
        }
        return BearerTokens.credentials(name(), user, auth, true);
    }
}
