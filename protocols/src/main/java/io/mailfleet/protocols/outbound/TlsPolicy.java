package io.mailfleet.protocols.outbound;

/**
 * How the client uses STARTTLS, named after Postfix's {@code smtp_tls_security_level}. Neither
 * level verifies the peer certificate, as in Postfix: {@code encrypt} guarantees an encrypted
 * channel against passive listeners, not the peer's identity.
 */
public enum TlsPolicy {
    /** Never STARTTLS. */
    NONE,
    /** STARTTLS when offered; plaintext when not offered or when the handshake fails. */
    MAY,
    /** STARTTLS mandatory; a host without it, or a failed handshake, defers the mail. */
    ENCRYPT
}
