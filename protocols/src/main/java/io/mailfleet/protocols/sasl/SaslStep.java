package io.mailfleet.protocols.sasl;

import java.util.Base64;

/** What a session does next in an exchange: send a challenge, check credentials, or refuse. */
public sealed interface SaslStep {

    /** Send this challenge and pass the client's next line to {@link SaslAuthentication#respond}. */
    record Challenge(byte[] data) implements SaslStep {
        public Challenge {
            data = data.clone();
        }

        /** The challenge as the protocols put it on the wire (empty for an empty challenge). */
        public String base64() {
            return Base64.getEncoder().encodeToString(data);
        }
    }

    /** The exchange is complete: check these credentials (through the login policy). */
    record Authenticate(SaslCredentials credentials) implements SaslStep {
    }

    /** The exchange ended without credentials to check; the session answers with its refusal. */
    record Refused(SaslRefusal reason) implements SaslStep {
    }
}
