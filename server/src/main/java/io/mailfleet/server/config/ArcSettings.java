package io.mailfleet.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mailfleet.arc}: ARC (RFC 8617) chain validation of inbound mail on port 25 (with DKIM
 * verification, which it needs), the trusted sealers whose passing chain overrides a DMARC failure, and
 * sealing of the mail this server forwards.
 *
 * @param enabled        validate ARC chains and report {@code arc=} in Authentication-Results
 * @param trustedSealers sealing domains (ARC-Seal d=), lower case; empty = no DMARC override
 * @param seal           add an ARC set to forwarded mail (aliases to remote addresses, Sieve redirect)
 */
public record ArcSettings(boolean enabled, List<String> trustedSealers, boolean seal) {

    public ArcSettings {
        trustedSealers = List.copyOf(trustedSealers);
    }

    /** Reads and checks the keys; a bad value names its key. */
    static ArcSettings read(ValueReader r) {
        return new ArcSettings(r.bool("mailfleet.arc.enabled"), sealers(r, "mailfleet.arc.trusted-sealers"),
                r.bool("mailfleet.arc.seal"));
    }

    /** A list of sealing domains at {@code key}, lower case (also per domain, in {@code mailfleet.auth.domains}). */
    static List<String> sealers(ValueReader r, String key) {
        List<String> sealers = r.stringList(key).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        for (String s : sealers) {
            if (!s.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)+") || s.length() > 253) {
                throw r.invalid(key, s, "domain names such as lists.example.org");
            }
        }
        return sealers;
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static ArcSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
