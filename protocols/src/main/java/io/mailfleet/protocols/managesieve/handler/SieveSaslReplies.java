package io.mailfleet.protocols.managesieve.handler;

import io.mailfleet.protocols.sasl.SaslRefusal;

/** The ManageSieve NO reply (or its text) for each way a SASL exchange can be refused. */
final class SieveSaslReplies {

    private SieveSaslReplies() {
    }

    static String refusal(SaslRefusal r) {
        return switch (r) {
            case ABORTED -> "Authentication aborted by client.";
            case BAD_BASE64 -> "Invalid base64 data in SASL response.";
            case AUTHORIZATION_ID_REFUSED -> "Authorization as another user is not allowed.";
            case UNSUPPORTED_MECHANISM -> "Unsupported authentication mechanism.";
            case ENCRYPTION_REQUIRED ->
                    "NO (ENCRYPT-NEEDED) \"Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\"";
            case TOO_LONG, MISSING_PARTS, EMPTY_AUTHENTICATION_ID, INVALID_TEXT, INVALID_TOKEN -> "Authentication failed.";
        };
    }
}
