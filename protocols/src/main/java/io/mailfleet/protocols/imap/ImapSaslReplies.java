package io.mailfleet.protocols.imap;

import io.mailfleet.protocols.sasl.SaslRefusal;

/** The tagged IMAP reply (without the tag) for each way a SASL exchange can be refused. */
public final class ImapSaslReplies {

    private ImapSaslReplies() {
    }

    public static String refusal(SaslRefusal r) {
        return switch (r) {
            case ABORTED -> "BAD Authentication aborted by client.";
            case BAD_BASE64 -> "BAD Invalid base64 data in continued response";
            case AUTHORIZATION_ID_REFUSED -> "NO [AUTHORIZATIONFAILED] Authorization as another user is not allowed.";
            case UNSUPPORTED_MECHANISM -> "NO Unsupported authentication mechanism.";
            case ENCRYPTION_REQUIRED ->
                    "NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";
            case TOO_LONG, MISSING_PARTS, EMPTY_AUTHENTICATION_ID, INVALID_TEXT, INVALID_TOKEN ->
                    "NO [AUTHENTICATIONFAILED] Authentication failed.";
        };
    }
}
