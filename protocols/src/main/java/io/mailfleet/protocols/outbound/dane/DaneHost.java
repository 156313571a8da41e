package io.mailfleet.protocols.outbound.dane;

import io.mailfleet.core.tlsrpt.TlsResultType;

import java.util.List;

/** What DNSSEC and the TLSA records say about one MX (or relay) host (RFC 7672 §2.2). */
public sealed interface DaneHost {

    /** A secure TLSA RRset with usable records: TLS is mandatory and the certificate must match one. */
    record Authenticated(List<Tlsa> usable, List<Tlsa> all) implements DaneHost {
        public Authenticated {
            usable = List.copyOf(usable);
            all = List.copyOf(all);
        }
    }

    /** A secure TLSA RRset whose records are all unusable: TLS is still mandatory, without authentication (§2.2). */
    record EncryptOnly(List<Tlsa> all) implements DaneHost {
        public EncryptOnly {
            all = List.copyOf(all);
        }
    }

    /** No secure TLSA RRset (unsigned zone, or securely none): DANE does not apply to this host. */
    record Insecure(String reason) implements DaneHost {
    }

    /** The host must not be used: its records are bogus or could not be looked up (§2.2: no downgrade). */
    record Unusable(String reason, TlsResultType type) implements DaneHost {
    }

    /** True when DANE decides this host's TLS (authenticated or encrypt-only). */
    default boolean applies() {
        return this instanceof Authenticated || this instanceof EncryptOnly;
    }
}
