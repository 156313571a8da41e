package io.mailfleet.protocols.sasl;

/**
 * What XOAUTH2 and OAUTHBEARER share: one client response after an empty challenge, carrying a
 * bearer token in clear (so TLS-only), and a text that may contain the ^A separators.
 */
abstract class BearerMechanism implements SaslMechanism {

    @Override
    public final boolean sendsSecretInClear() {
        return true;
    }

    @Override
    public final boolean bearerToken() {
        return true;
    }

    @Override
    public final SaslExchange newExchange() {
        return new SaslExchange() {
            @Override
            public byte[] initialChallenge() {
                return new byte[0];
            }

            @Override
            public SaslStep evaluate(byte[] response) {
                String text = SaslIdentityRules.textAllowingControls(response);
                return text == null ? new SaslStep.Refused(SaslRefusal.INVALID_TEXT) : parse(text);
            }
        };
    }

    /** The credentials in the client's one response, or the refusal. */
    abstract SaslStep parse(String text);
}
