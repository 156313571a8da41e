package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FetchmailSettingsTest {

    @TempDir
    Path data;
    @TempDir
    Path dms;

    private Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>(Map.of("MAILFLEET_DATA", data.toString()));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    @Test
    void dockerMailserverVariablesSetTheSettings() {
        FetchmailSettings s = FetchmailSettings.of(MailfleetConfig.load(null,
                env("ENABLE_FETCHMAIL", "1", "FETCHMAIL_POLL", "60", "DMS_CONFIG_DIR", dms.toString())));
        assertTrue(s.enabled());
        assertEquals(Duration.ofSeconds(60), s.poll());
        assertEquals(Duration.ofHours(1), s.maxBackoff());
        assertEquals(Optional.of(dms.resolve("fetchmail.cf")), s.file());

        FetchmailSettings defaults = FetchmailSettings.of(MailfleetConfig.load(null, env("ENABLE_FETCHMAIL", "")));
        assertFalse(defaults.enabled());
        assertEquals(Duration.ofSeconds(300), defaults.poll());
        assertEquals(Optional.empty(), defaults.file());
    }

    @Test
    void garbageStopsStartUpNamingTheKey() {
        ConfigError poll = assertThrows(ConfigError.class,
                () -> MailfleetConfig.load(null, env("FETCHMAIL_POLL", "often")));
        assertTrue(poll.getMessage().contains("mailfleet.fetchmail.poll"), poll.getMessage());
        ConfigError zero = assertThrows(ConfigError.class,
                () -> MailfleetConfig.load(null, env("FETCHMAIL_POLL", "0")));
        assertTrue(zero.getMessage().contains("mailfleet.fetchmail.poll"), zero.getMessage());
        ConfigError enabled = assertThrows(ConfigError.class,
                () -> MailfleetConfig.load(null, env("ENABLE_FETCHMAIL", "maybe")));
        assertTrue(enabled.getMessage().contains("mailfleet.fetchmail.enabled"), enabled.getMessage());
    }

    @Test
    void getmailVariablesSetTheGetmailSettingsInMinutes() {
        GetmailSettings s = GetmailSettings.of(MailfleetConfig.load(null,
                env("ENABLE_GETMAIL", "1", "GETMAIL_POLL", "12", "DMS_CONFIG_DIR", dms.toString())));
        assertTrue(s.enabled());
        assertEquals(Duration.ofMinutes(12), s.poll());
        assertEquals(Optional.of(dms), s.dir());

        GetmailSettings defaults = GetmailSettings.of(MailfleetConfig.load(null, env()));
        assertFalse(defaults.enabled());
        assertEquals(Duration.ofMinutes(5), defaults.poll());

        for (String bad : new String[]{"0", "31", "often"}) {
            ConfigError e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env("GETMAIL_POLL", bad)));
            assertTrue(e.getMessage().contains("mailfleet.getmail.poll"), e.getMessage());
        }
        ConfigError enabled = assertThrows(ConfigError.class,
                () -> MailfleetConfig.load(null, env("ENABLE_GETMAIL", "maybe")));
        assertTrue(enabled.getMessage().contains("mailfleet.getmail.enabled"), enabled.getMessage());
    }
}
