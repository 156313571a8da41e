package io.mailfleet.protocols.pop3.handler;

import io.mailfleet.protocols.sasl.SaslRefusal;

/** The POP3 -ERR line for each way a SASL exchange (or a USER/PASS login) can be refused. */
final class Pop3SaslReplies {

    static final String PLAINTEXT_DISALLOWED =
            "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";
    static final String AUTH_FAILED = "-ERR [AUTH] Authentication failed.";

    private Pop3SaslReplies() {
    }

    static String refusal(SaslRefusal r) {
        return switch (r) {
            case ABORTED -> "-ERR Authentication aborted by client.";
            case BAD_BASE64 -> "-ERR Invalid base64 data in continued response.";
            case AUTHORIZATION_ID_REFUSED -> "-ERR [AUTH] Authorization as another user is not allowed.";
            case UNSUPPORTED_MECHANISM -> "-ERR Unsupported authentication mechanism.";
            case ENCRYPTION_REQUIRED -> PLAINTEXT_DISALLOWED;
            case TOO_LONG, MISSING_PARTS, EMPTY_AUTHENTICATION_ID, INVALID_TEXT, INVALID_TOKEN -> AUTH_FAILED;
        };
    }
}
