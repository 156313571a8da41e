package io.mailfleet.protocols.sasl;

/**
 * When mechanisms that send a secret in clear may be used: on a TLS connection, or when the server
 * has no certificate at all (nothing to upgrade to; the listener logs at start that TLS is off).
 */
public final class TlsOnlyPolicy {

    private TlsOnlyPolicy() {
    }

    /** Whether secrets may be sent on this connection. */
    public static boolean secretsAllowed(boolean tlsActive, boolean tlsConfigured) {
        return tlsActive || !tlsConfigured;
    }
}
