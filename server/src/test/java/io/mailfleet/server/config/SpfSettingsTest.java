package io.mailfleet.server.config;

import io.mailfleet.protocols.smtp.spf.SpfPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.spf}: docker-mailserver's default (on, reject fail, defer temperror), overrides, bad values. */
class SpfSettingsTest {

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
    void onByDefaultLikePolicydSpf() {
        assertEquals(new SpfSettings(true, SpfPolicy.FailAction.REJECT, false), SpfSettings.of(load()));
    }

    @Test
    void environmentTurnsItOffOrChangesTheActions() {
        assertEquals(false, SpfSettings.of(load("ENABLE_POLICYD_SPF", "0")).enabled());
        assertEquals(false, SpfSettings.of(load("MAILFLEET_SPF_FAIL_ACTION", "off")).enabled());
        assertEquals(new SpfSettings(true, SpfPolicy.FailAction.TAG, true), SpfSettings.of(load(
                "MAILFLEET_SPF_FAIL_ACTION", "tag", "MAILFLEET_SPF_TEMPERROR_ACTION", "accept")));
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        for (String[] bad : new String[][] {
                {"ENABLE_POLICYD_SPF", "maybe", "mailfleet.spf.enabled"},
                {"MAILFLEET_SPF_FAIL_ACTION", "bounce", "mailfleet.spf.fail-action"},
                {"MAILFLEET_SPF_TEMPERROR_ACTION", "reject", "mailfleet.spf.temperror-action"}}) {
            ConfigError e = assertThrows(ConfigError.class, () -> load(bad[0], bad[1]), bad[0] + "=" + bad[1]);
            assertTrue(e.getMessage().contains(bad[2]) && e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
