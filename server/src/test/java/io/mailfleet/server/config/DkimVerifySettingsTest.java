package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.dkim.verify}: on with 5 signatures by default (OpenDKIM's default), ENABLE_OPENDKIM=0, bad values. */
class DkimVerifySettingsTest {

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
    void onByDefaultAndOffWithEnableOpendkimZero() {
        assertEquals(new DkimVerifySettings(true, 5), DkimVerifySettings.of(load()));
        assertEquals(false, DkimVerifySettings.of(load("ENABLE_OPENDKIM", "0")).enabled());
        assertEquals(12, DkimVerifySettings.of(load("MAILFLEET_DKIM_VERIFY_MAX_SIGNATURES", "12")).maxSignatures());
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        for (String[] bad : new String[][] {
                {"ENABLE_OPENDKIM", "maybe", "mailfleet.dkim.verify.enabled"},
                {"MAILFLEET_DKIM_VERIFY_MAX_SIGNATURES", "0", "mailfleet.dkim.verify.max-signatures"},
                {"MAILFLEET_DKIM_VERIFY_MAX_SIGNATURES", "2000", "mailfleet.dkim.verify.max-signatures"}}) {
            ConfigError e = assertThrows(ConfigError.class, () -> load(bad[0], bad[1]), bad[0] + "=" + bad[1]);
            assertTrue(e.getMessage().contains(bad[2]) && e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
