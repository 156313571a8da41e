package io.mailfleet.protocols.outbound;

import java.util.Locale;

/**
 * How the client uses STARTTLS, named after Postfix's {@code smtp_tls_security_level}. {@code may}
 * and {@code encrypt} do not verify the peer certificate, as in Postfix: {@code encrypt} guarantees
 * an encrypted channel against passive listeners, not the peer's identity. {@code verify} and
 * {@code secure} check the chain against the trust store and the certificate names against
 * {@link TlsRequirement#match()}. {@code dane} and {@code dane-only} authenticate with DNSSEC-validated
 * TLSA records (RFC 7672, {@link io.mailfleet.protocols.outbound.dane}). Only the levels that {@link #authenticates()}
 * may carry a REQUIRETLS (RFC 8689) message.
 */
public enum TlsPolicy {
    /** Never STARTTLS. */
    NONE,
    /** STARTTLS when offered; plaintext when not offered or when the handshake fails. */
    MAY,
    /** STARTTLS mandatory; a host without it, or a failed handshake, defers the mail. */
    ENCRYPT,
    /** DANE for hosts with DNSSEC-validated TLSA records (mandatory, authenticated); {@link #MAY} for the others. */
    DANE,
    /** DANE mandatory: only hosts with usable DNSSEC-validated TLSA records are used, else the mail is deferred (4.7.5). */
    DANE_ONLY,
    /** STARTTLS mandatory, chain verified, a certificate name matches the MX hostname (by default). */
    VERIFY,
    /** STARTTLS mandatory, chain verified, a certificate name matches the nexthop domain (by default). */
    SECURE;

    /** The Postfix spelling: {@code none}, {@code may}, {@code dane-only} ... */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True when mail must not go out without TLS at this level. */
    public boolean mandatory() {
        return this == ENCRYPT || this == DANE_ONLY || this == VERIFY || this == SECURE;
    }

    /** True when the peer certificate is verified (chain and names). */
    public boolean authenticates() {
        return this == VERIFY || this == SECURE;
    }

    /**
     * Parses a Postfix level name (case-insensitive).
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static TlsPolicy parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        for (TlsPolicy p : values()) {
            if (p.configName().equals(v)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown TLS security level '" + value
                + "' (expected none, may, encrypt, dane, dane-only, verify or secure)");
    }
}
