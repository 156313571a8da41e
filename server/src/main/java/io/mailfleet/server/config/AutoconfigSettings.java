package io.mailfleet.server.config;

import java.util.Map;
import java.util.Optional;

/**
 * {@code mailfleet.autoconfig}: the client auto-configuration HTTP listener (Thunderbird autoconfig,
 * Microsoft Autodiscover, Apple profile), off by default; clients must reach it, so it binds the mail
 * listeners' address unless told otherwise.
 *
 * @param enabled whether the listener starts
 * @param bind    the IP address it binds
 * @param port    its port (0 = any free port)
 */
public record AutoconfigSettings(boolean enabled, String bind, int port) {

    /** Reads and checks the keys; a bad value names its key. */
    static AutoconfigSettings read(ValueReader r) {
        boolean enabled = r.bool("mailfleet.autoconfig.enabled");
        String bind = r.string("mailfleet.autoconfig.bind");
        if (bind.isEmpty()) {
            bind = r.string("mailfleet.bind-address");
        }
        Optional<String> cidr = Networks.parseCidr(bind);
        if (bind.contains("/") || cidr.isEmpty()) {
            throw r.invalid("mailfleet.autoconfig.bind", bind, "an IP address such as 0.0.0.0, 127.0.0.1 or ::, "
                    + "or \"\" for mailfleet.bind-address");
        }
        return new AutoconfigSettings(enabled, bind, r.port("mailfleet.autoconfig.port", 0));
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static AutoconfigSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
