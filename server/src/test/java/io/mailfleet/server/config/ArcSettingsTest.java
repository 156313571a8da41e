package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.arc}: validating and sealing by default with no trusted sealer, the variables, bad values. */
class ArcSettingsTest {

    @TempDir
    Path dir;

    private LoadedConfig load(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        m.put("MAILFLEET_DATA", dir.toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return MailfleetConfig.load(null, m);
    }

    @Test
    void onWithoutTrustedSealersByDefault() {
        assertEquals(new ArcSettings(true, List.of(), true), ArcSettings.of(load()));
        assertEquals(new ArcSettings(false, List.of("lists.example.org", "forwarder.test"), false),
                ArcSettings.of(load("MAILFLEET_ARC_ENABLED", "0", "MAILFLEET_ARC_SEAL", "no",
                        "MAILFLEET_ARC_TRUSTED_SEALERS", "Lists.Example.org, forwarder.test")));
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> load("MAILFLEET_ARC_TRUSTED_SEALERS", "lists example"));
        assertTrue(e.getMessage().contains("mailfleet.arc.trusted-sealers") && e.getMessage().contains("lists example"),
                e.getMessage());
        ConfigError s = assertThrows(ConfigError.class, () -> load("MAILFLEET_ARC_SEAL", "maybe"));
        assertTrue(s.getMessage().contains("mailfleet.arc.seal"), s.getMessage());
    }
}
