package io.mailfleet.protocols.outbound.sts;

import io.mailfleet.core.tlsrpt.TlsResultType;

/** A policy could not be fetched or used; {@link #type()} is how TLS-RPT reports it. */
public final class PolicyFetchException extends RuntimeException {
    private final TlsResultType type;

    public PolicyFetchException(TlsResultType type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public TlsResultType type() {
        return type;
    }
}
