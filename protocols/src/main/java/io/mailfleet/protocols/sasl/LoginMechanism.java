package io.mailfleet.protocols.sasl;

import java.nio.charset.StandardCharsets;

/**
 * draft-murchison-sasl-login LOGIN: the server asks {@code Username:}, then {@code Password:}; an
 * initial response is the user name. Obsolete but still what many clients try first, so offered after PLAIN.
 */
public final class LoginMechanism implements SaslMechanism {

    private static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return "LOGIN";
    }

    @Override
    public boolean sendsSecretInClear() {
        return true;
    }

    @Override
    public SaslExchange newExchange() {
        return new SaslExchange() {
            private byte[] user;

            @Override
            public byte[] initialChallenge() {
                return USERNAME;
            }

            @Override
            public SaslStep evaluate(byte[] response) {
                if (user == null) {
                    // The user name is checked before the password is asked for, so a client with
                    // an empty or broken login is told at once.
                    SaslStep checked = SaslIdentityRules.password(new byte[0], response, new byte[0]);
                    if (checked instanceof SaslStep.Refused) {
                        return checked;
                    }
                    user = response;
                    return new SaslStep.Challenge(PASSWORD);
                }
                return SaslIdentityRules.password(new byte[0], user, response);
            }
        };
    }
}
