package io.mailfleet.protocols.sasl;

/** Why an exchange ended without credentials to check; every protocol has one reply per group. */
public enum SaslRefusal {
    /** The client answered a challenge with {@code *}. */
    ABORTED,
    /** A response was not valid base64. */
    BAD_BASE64,
    /** A response or one of its fields is longer than {@link SaslAuthentication#MAX_RESPONSE_CHARS} or the field limits. */
    TOO_LONG,
    /** PLAIN without exactly three NUL-separated parts. */
    MISSING_PARTS,
    /** The authentication identity (login) is empty. */
    EMPTY_AUTHENTICATION_ID,
    /** A field is not valid UTF-8 or holds a NUL. */
    INVALID_TEXT,
    /** An authorization identity other than the authentication identity: nobody may act as another user. */
    AUTHORIZATION_ID_REFUSED,
    /** The client named a mechanism the server does not have. */
    UNSUPPORTED_MECHANISM,
    /** The mechanism sends a secret in clear and the connection is not protected by TLS. */
    ENCRYPTION_REQUIRED,
    /** The bearer token was refused (XOAUTH2, OAUTHBEARER): the final answer after the RFC 7628 error challenge. */
    INVALID_TOKEN;

    /** Whether the client's response was malformed (one "authentication failed" reply in every protocol). */
    public boolean malformed() {
        return this == TOO_LONG || this == MISSING_PARTS || this == EMPTY_AUTHENTICATION_ID || this == INVALID_TEXT;
    }
}
