package io.mailfleet.server.config;

import io.mailfleet.protocols.smtp.auth.DmarcPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.dmarc}: on and enforcing by default (docker-mailserver's OpenDMARC), ENABLE_OPENDMARC=0, bad values. */
class DmarcSettingsTest {

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
    void onAndEnforcingByDefault() {
        assertEquals(new DmarcSettings(true, DmarcPolicy.Action.ENFORCE), DmarcSettings.of(load()));
        assertEquals(false, DmarcSettings.of(load("ENABLE_OPENDMARC", "0")).enabled());
        assertEquals(DmarcPolicy.Action.TAG, DmarcSettings.of(load("MAILFLEET_DMARC_FAILURE_ACTION", "tag")).action());
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> load("MAILFLEET_DMARC_FAILURE_ACTION", "bounce"));
        assertTrue(e.getMessage().contains("mailfleet.dmarc.failure-action") && e.getMessage().contains("bounce"),
                e.getMessage());
    }
}
