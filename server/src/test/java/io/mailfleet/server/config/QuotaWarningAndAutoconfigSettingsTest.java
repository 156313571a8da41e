package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.quotas.warnings} and {@code mailfleet.autoconfig}: defaults, overrides, bad values naming their key. */
class QuotaWarningAndAutoconfigSettingsTest {

    @TempDir
    Path dir;

    private LoadedConfig load(String file, String... kv) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        m.put("MAILFLEET_DATA", dir.toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        Path conf = null;
        if (file != null) {
            conf = dir.resolve("mailfleet.conf");
            Files.writeString(conf, file);
        }
        return MailfleetConfig.load(conf, m);
    }

    @Test
    void warningsAt80And95ByDefaultWithDockerMailserversText() throws Exception {
        QuotaWarningSettings w = QuotaWarningSettings.of(load(null));
        assertTrue(w.enabled());
        assertEquals(List.of(95, 80), w.percentages());
        assertEquals("Your mailbox is now {percent}% full.", w.level(80).text());
        assertFalse(QuotaWarningSettings.of(load(null, "MAILFLEET_QUOTA_WARNINGS", "0")).enabled());
        assertFalse(QuotaWarningSettings.of(load(null, "ENABLE_QUOTAS", "0")).enabled(), "no quotas, no warnings");
        QuotaWarningSettings custom = QuotaWarningSettings.of(load(
                "mailfleet.quotas.warnings.levels = [{ percent = 90, subject = \"Postfach fast voll\", text = \"{used} von {quota}\" }]"));
        assertEquals(List.of(90), custom.percentages());
        assertEquals("Postfach fast voll", custom.level(90).subject());
    }

    @Test
    void badWarningLevelsStopStartUpNamingTheKey() {
        for (String[] bad : new String[][] {
                {"mailfleet.quotas.warnings.levels = [{ percent = 180, subject = s, text = t }]", "levels[0].percent"},
                {"mailfleet.quotas.warnings.levels = [{ percent = 80, subject = s, text = t }, { percent = 80, subject = s, text = t }]",
                        "levels[1].percent"},
                {"mailfleet.quotas.warnings.levels = [{ percent = 80, text = t }]", "levels[0].subject"},
                {"mailfleet.quotas.warnings.levels = [{ percent = 80, subject = s, text = \"\" }]", "levels[0].text"},
                {"mailfleet.quotas.warnings.levels = 80", "mailfleet.quotas.warnings.levels"}}) {
            ConfigError e = assertThrows(ConfigError.class, () -> load(bad[0]), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    @Test
    void autoconfigIsOffByDefaultAndBindsTheMailAddress() throws Exception {
        assertEquals(new AutoconfigSettings(false, "0.0.0.0", 8080), AutoconfigSettings.of(load(null)));
        assertEquals(new AutoconfigSettings(true, "127.0.0.1", 8443), AutoconfigSettings.of(load(null,
                "MAILFLEET_AUTOCONFIG", "1", "MAILFLEET_BIND_ADDRESS", "127.0.0.1", "MAILFLEET_AUTOCONFIG_PORT", "8443")));
        ConfigError e = assertThrows(ConfigError.class, () -> load(null, "MAILFLEET_AUTOCONFIG_BIND", "example.com"));
        assertTrue(e.getMessage().contains("mailfleet.autoconfig.bind"), e.getMessage());
        e = assertThrows(ConfigError.class, () -> load(null, "MAILFLEET_AUTOCONFIG_PORT", "70000"));
        assertTrue(e.getMessage().contains("mailfleet.autoconfig.port"), e.getMessage());
    }
}
