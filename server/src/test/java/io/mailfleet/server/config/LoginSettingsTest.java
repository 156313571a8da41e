package io.mailfleet.server.config;

import io.mailfleet.protocols.auth.LoginPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.login}: Dovecot's defaults, environment overrides, and bad values that stop start-up. */
class LoginSettingsTest {

    @TempDir
    Path dir;

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        m.put("MAILFLEET_DATA", dir.toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreDovecots() {
        assertEquals(new LoginPolicy(3, Duration.ofSeconds(2)), MailfleetConfig.load(null, env()).settings().login().policy());
        assertEquals(LoginPolicy.DEFAULTS, MailfleetConfig.load(null, env()).settings().login().policy());
    }

    @Test
    void environmentOverrides() {
        LoadedConfig c = MailfleetConfig.load(null, env("MAILFLEET_LOGIN_MAX_FAILURES", "5",
                "MAILFLEET_LOGIN_FAILURE_DELAY", "500ms"));
        assertEquals(new LoginPolicy(5, Duration.ofMillis(500)), c.settings().login().policy());
        LoadedConfig off = MailfleetConfig.load(null, env("MAILFLEET_LOGIN_FAILURE_DELAY", "0s"));
        assertEquals(Duration.ZERO, off.settings().login().policy().failureDelay(), "no delay is allowed");
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        for (String[] bad : new String[][] {
                {"MAILFLEET_LOGIN_MAX_FAILURES", "0", "mailfleet.login.max-failures"},
                {"MAILFLEET_LOGIN_MAX_FAILURES", "many", "mailfleet.login.max-failures"},
                {"MAILFLEET_LOGIN_FAILURE_DELAY", "5m", "mailfleet.login.failure-delay"},
                {"MAILFLEET_LOGIN_FAILURE_DELAY", "-1s", "mailfleet.login.failure-delay"},
                {"MAILFLEET_LOGIN_FAILURE_DELAY", "soon", "mailfleet.login.failure-delay"}}) {
            ConfigError e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env(bad[0], bad[1])),
                    bad[0] + "=" + bad[1]);
            assertTrue(e.getMessage().contains(bad[2]) && e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
