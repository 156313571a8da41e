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

    /** A new server-side exchange for one authentication attempt. */
    SaslExchange newExchange();
}
