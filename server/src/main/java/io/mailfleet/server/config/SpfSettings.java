package io.mailfleet.server.config;

import io.mailfleet.protocols.smtp.spf.SpfPolicy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code mailfleet.spf}: the inbound SPF check on port 25 ({@code ENABLE_POLICYD_SPF}, on by default as
 * in docker-mailserver), what a {@code fail} gets ({@code reject}, {@code tag} or {@code off}) and whether
 * a {@code temperror} is deferred or accepted.
 *
 * @param enabled         false when ENABLE_POLICYD_SPF=0 or fail-action = off: no SPF look-up at all
 * @param failAction      reject (550 5.7.23 at RCPT) or tag (Received-SPF: fail only)
 * @param acceptTemperror accept and tag a temperror instead of 451 4.7.24
 */
public record SpfSettings(boolean enabled, SpfPolicy.FailAction failAction, boolean acceptTemperror) {

    /** Reads and checks the keys; a bad value names its key. */
    static SpfSettings read(ValueReader r) {
        boolean enabled = r.bool("mailfleet.spf.enabled");
        Map<String, String> actions = new LinkedHashMap<>();
        for (String a : new String[] {"reject", "tag", "off"}) {
            actions.put(a, a);
        }
        String action = r.choice("mailfleet.spf.fail-action", actions);
        SpfPolicy.FailAction fail = switch (action) {
            case "reject" -> SpfPolicy.FailAction.REJECT;
            case "tag" -> SpfPolicy.FailAction.TAG;
            default -> null;
        };
        Map<String, Boolean> temp = new LinkedHashMap<>();
        temp.put("defer", false);
        temp.put("accept", true);
        boolean acceptTemperror = r.choice("mailfleet.spf.temperror-action", temp);
        return new SpfSettings(enabled && fail != null, fail == null ? SpfPolicy.FailAction.TAG : fail,
                acceptTemperror);
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static SpfSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
