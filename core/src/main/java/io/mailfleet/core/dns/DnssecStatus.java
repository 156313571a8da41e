package io.mailfleet.core.dns;

/** What DNSSEC validation (RFC 4035 §4.3) proved about an answer. */
public enum DnssecStatus {
    /** Signed and validated up to a trust anchor. */
    SECURE,
    /** Provably unsigned (or outside every trust anchor): the answer is usable, but proves nothing. */
    INSECURE,
    /** Should have validated but did not (expired or wrong signatures, missing keys): must not be used. */
    BOGUS;

    /** The weaker of two statuses, for an answer reached through several responses (a CNAME chain). */
    DnssecStatus and(DnssecStatus other) {
        return ordinal() >= other.ordinal() ? this : other;
    }
}
