package io.mailfleet.server.config;

import java.util.Map;

/**
 * {@code mailfleet.dkim.verify}: DKIM verification of inbound mail on port 25 ({@code ENABLE_OPENDKIM},
 * on by default as in docker-mailserver; signing does not depend on it) and how many signatures of one
 * message are verified at most.
 *
 * @param enabled       false when ENABLE_OPENDKIM=0: no verification and no Authentication-Results field
 * @param maxSignatures DKIM-Signature fields verified per message, the topmost ones
 */
public record DkimVerifySettings(boolean enabled, int maxSignatures) {

    /** Reads and checks the keys; a bad value names its key. */
    static DkimVerifySettings read(ValueReader r) {
        return new DkimVerifySettings(r.bool("mailfleet.dkim.verify.enabled"),
                r.intIn("mailfleet.dkim.verify.max-signatures", 1, 50));
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static DkimVerifySettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
