package io.mailfleet.protocols.sasl;

/**
 * What a completed exchange asks the server to check: a password for the {@code Authenticator}, or
 * a token for the token authenticator (OAUTHBEARER, XOAUTH2).
 */
public sealed interface SaslCredentials {

    /** The identity to authorize as: the authentication identity itself (authzid empty or equal). */
    String authorizationId();

    /** A login and password (PLAIN, LOGIN); {@code authorizationId} is the authcid when the client sent none. */
    record Password(String authenticationId, String authorizationId, String password) implements SaslCredentials {
        @Override
        public String toString() {
            return "Password[" + authenticationId + "]"; // never the password in a log line
        }
    }

    /**
     * A bearer token to validate (RFC 7628 OAUTHBEARER, XOAUTH2), for the user it names (empty:
     * whoever the token names); an empty token stands for a message that could not be read.
     */
    record Token(String mechanism, String authorizationId, String token) implements SaslCredentials {
        @Override
        public String toString() {
            return "Token[" + mechanism + ", " + authorizationId + "]";
        }
    }
}
