package io.mailfleet.protocols.outbound;

import io.mailfleet.core.tlsrpt.TlsResultType;

/**
 * What TLS proved in one new session with one host.
 *
 * @param host    the MX (or relay) host name
 * @param ip      the address connected to
 * @param failure the RFC 8460 failure, or null when TLS was established (and, where checked, the certificate valid)
 * @param detail  a short reason for a failure, or ""
 */
public record TlsAttempt(String host, String ip, TlsResultType failure, String detail) {

    public boolean success() {
        return failure == null;
    }
}
