package io.mailfleet.server.config;

import io.mailfleet.protocols.smtp.auth.DmarcPolicy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code mailfleet.dmarc}: DMARC evaluation of inbound mail on port 25 ({@code ENABLE_OPENDMARC}, on by
 * default as in docker-mailserver; it needs DKIM verification on) and what a failing message's
 * requested disposition becomes.
 *
 * @param enabled false when ENABLE_OPENDMARC=0
 * @param action  enforce, quarantine (reject downgraded to Junk) or tag (Authentication-Results only)
 */
public record DmarcSettings(boolean enabled, DmarcPolicy.Action action) {

    /** Reads and checks the keys; a bad value names its key. */
    static DmarcSettings read(ValueReader r) {
        return new DmarcSettings(r.bool("mailfleet.dmarc.enabled"), r.choice("mailfleet.dmarc.failure-action",
                actions()));
    }

    /** The failure-action values (also per domain, in {@code mailfleet.auth.domains}). */
    static Map<String, DmarcPolicy.Action> actions() {
        Map<String, DmarcPolicy.Action> actions = new LinkedHashMap<>();
        actions.put("enforce", DmarcPolicy.Action.ENFORCE);
        actions.put("quarantine", DmarcPolicy.Action.QUARANTINE);
        actions.put("tag", DmarcPolicy.Action.TAG);
        return actions;
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static DmarcSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
