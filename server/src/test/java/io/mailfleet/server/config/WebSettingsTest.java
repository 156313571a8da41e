package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.web}: defaults, the environment variables, and bad values stopping start-up with the key named. */
class WebSettingsTest {

    private static Map<String, String> env(String... kv) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAndEnvironment() {
        WebSettings d = WebSettings.of(MailfleetConfig.load(null, env()));
        assertEquals(new WebSettings(true, List.of(), Duration.ofHours(8), Duration.ofMinutes(1)), d);
        WebSettings e = WebSettings.of(MailfleetConfig.load(null, env("MAILFLEET_WEB_ENABLED", "0",
                "MAILFLEET_WEB_ADMIN_ACCOUNTS", "Postmaster@Example.com, ops@example.com",
                "MAILFLEET_WEB_SESSION_LIFETIME", "30m", "MAILFLEET_WEB_CHART_SAMPLING", "5s")));
        assertEquals(new WebSettings(false, List.of("ops@example.com", "postmaster@example.com"), Duration.ofMinutes(30),
                Duration.ofSeconds(5)), e);
    }

    @Test
    void badValuesNameTheirKey() {
        ConfigError a = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null,
                env("MAILFLEET_WEB_ADMIN_ACCOUNTS", "not an address")));
        assertTrue(a.getMessage().contains("mailfleet.web.admin-accounts"), a.getMessage());
        assertTrue(a.getMessage().contains("MAILFLEET_WEB_ADMIN_ACCOUNTS"), a.getMessage());
        ConfigError l = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null,
                env("MAILFLEET_WEB_SESSION_LIFETIME", "30d")));
        assertTrue(l.getMessage().contains("mailfleet.web.session-lifetime"), l.getMessage());
        ConfigError c = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null,
                env("MAILFLEET_WEB_CHART_SAMPLING", "1h")));
        assertTrue(c.getMessage().contains("mailfleet.web.chart-sampling"), c.getMessage());
    }
}
