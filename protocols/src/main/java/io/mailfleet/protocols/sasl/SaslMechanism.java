package io.mailfleet.protocols.sasl;

/** One SASL mechanism the server offers: its IANA name and how to run one exchange of it. */
public interface SaslMechanism {

    /** The registered name, upper case (e.g. {@code PLAIN}). */
    String name();

    /**
     * Whether the client sends a reusable secret (a password or a bearer token) that anyone on the
     * path could read: such mechanisms are offered only over TLS (see {@link TlsOnlyPolicy}).
     */
    boolean sendsSecretInClear();

    /**
     * Whether the mechanism carries a bearer token (XOAUTH2, OAUTHBEARER): a message of it that cannot
     * be read is then checked as an invalid token (refused, logged, counted toward the login limits and
     * bans, answered with the RFC 7628 error challenge), not refused as malformed.
     */
    default boolean bearerToken() {
        return false;
    }

    /** A new server-side exchange for one authentication attempt. */
    SaslExchange newExchange();
}
