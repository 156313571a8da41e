package io.mailfleet.server.dns;

import io.mailfleet.protocols.outbound.dane.TlsaMatcher;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The DANE TLSA record senders check this node's certificate against (RFC 7672): {@code 3 1 1}, DANE-EE
 * with the SHA-256 of the public key, at {@code _25._tcp.<mx host>}. It pins the key, not the
 * certificate, so it survives a renewal that keeps the key.
 */
final class DaneRecords {

    private DaneRecords() {
    }

    static DnsRecord tlsa(String mxHost, X509Certificate cert) {
        try {
            String digest = HexFormat.of().formatHex(TlsaMatcher.association(cert, 1, 1));
            return new DnsRecord("_25._tcp." + mxHost, "TLSA", "3 1 1 " + digest,
                    "DANE-EE for the current mail certificate's key; publish only in a DNSSEC-signed zone, and"
                            + " publish the next key's record before a renewal changes the key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot digest the mail certificate's key: " + e.getMessage(), e);
        }
    }
}
