package io.mailfleet.protocols.sasl;

/**
 * RFC 7628 OAUTHBEARER: a GS2 header ({@code n,a=<user>,} without channel binding) then key/value
 * pairs separated by ^A, one of them {@code auth=Bearer <token>}, ended by ^A^A. A refused token is
 * answered with the JSON error challenge, and the client's ^A with the final failure
 * ({@link SaslAuthentication#tokenRefused}).
 */
public final class OAuthBearerMechanism extends BearerMechanism {

    @Override
    public String name() {
        return "OAUTHBEARER";
    }

    @Override
    SaslStep parse(String text) {
        int sep = text.indexOf('\u0001');
        // the header's ^A may be the first of the closing ^A^A: then there are no pairs at all
        if (sep < 0 || !text.endsWith("\u0001\u0001") || sep + 1 > text.length() - 2) {
            return new SaslStep.Refused(SaslRefusal.MISSING_PARTS);
        }
        String user = gs2User(text.substring(0, sep));
        if (user == null) {
            return new SaslStep.Refused(SaslRefusal.MISSING_PARTS);
        }
        String auth = null;
        for (String pair : text.substring(sep + 1, text.length() - 2).split("\u0001", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !pair.substring(0, eq).matches("[A-Za-z]+")) {
                return new SaslStep.Refused(SaslRefusal.MISSING_PARTS);
            }
            if (pair.startsWith("auth=")) {
                if (auth != null) {
                    return new SaslStep.Refused(SaslRefusal.MISSING_PARTS);
                }
                auth = pair.substring(5);
            }
        }
        if (auth == null) {
            return new SaslStep.Refused(SaslRefusal.MISSING_PARTS);
        }
        return BearerTokens.credentials(name(), user, auth, false);
    }

    /**
     * The authzid of a GS2 header {@code n,a=user,} ({@code ""} when absent), or null when the header
     * is malformed or asks for channel binding ({@code p=}), which this server does not offer.
     */
    static String gs2User(String header) {
        if (!header.startsWith("n,") && !header.startsWith("y,")) {
            return null;
        }
        String rest = header.substring(2);
        if (!rest.endsWith(",") || rest.indexOf(',') != rest.length() - 1) {
            return null;
        }
        String authz = rest.substring(0, rest.length() - 1);
        if (authz.isEmpty()) {
            return "";
        }
        if (!authz.startsWith("a=")) {
            return null;
        }
        // RFC 5801 saslname: ',' and '=' travel as =2C and =3D; any other '=' is malformed.
        StringBuilder out = new StringBuilder();
        String s = authz.substring(2);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '=') {
                out.append(c);
            } else if (s.startsWith("=2C", i)) {
                out.append(',');
                i += 2;
            } else if (s.startsWith("=3D", i)) {
                out.append('=');
                i += 2;
            } else {
                return null;
            }
        }
        return out.toString();
    }
}
