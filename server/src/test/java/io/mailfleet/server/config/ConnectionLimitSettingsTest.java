package io.mailfleet.server.config;

import io.mailfleet.protocols.netty.ConnectionLimits;
import io.mailfleet.protocols.netty.DescriptorBudget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionLimitSettingsTest {

    private static LoadedConfig load(String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("OVERRIDE_HOSTNAME", "mail.example.com");
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return MailfleetConfig.load(null, env);
    }

    private static ConnectionLimitSettings read(LoadedConfig loaded, long maxDescriptors) {
        return ConnectionLimitSettings.read(new ValueReader(loaded.config(), Map.of()), OptionalLong.of(maxDescriptors));
    }

    @Test
    void defaultsLikeDovecotWithTheCapBelowTheDescriptorLimit() {
        ConnectionLimitSettings s = read(load(), 20_000);
        assertEquals(new ConnectionLimits(20, 10, 16_000, Duration.ofSeconds(60)), s.limits());
        assertTrue(s.warning().isEmpty());
        assertEquals(DescriptorBudget.defaultMaxConnections(),
                load().settings().connections().limits().maxConnections());
    }

    @Test
    void environmentVariablesSetEveryKey() {
        ConnectionLimitSettings s = read(load("MAILFLEET_PRE_LOGIN_CONNECTIONS_PER_ADDRESS", "5",
                "MAILFLEET_TLS_HANDSHAKES_PER_ADDRESS", "0", "MAILFLEET_MAX_CONNECTIONS", "900",
                "MAILFLEET_LOGIN_TIMEOUT", "0"), 20_000);
        assertEquals(new ConnectionLimits(5, 0, 900, Duration.ZERO), s.limits());
    }

    @Test
    void aCapAtOrAboveTheDescriptorLimitIsWarnedAbout() {
        ConnectionLimitSettings s = read(load("MAILFLEET_MAX_CONNECTIONS", "0"), 1024);
        assertTrue(s.warning().orElseThrow().contains("1024 open files"), s.warning().toString());
        assertTrue(read(load("MAILFLEET_MAX_CONNECTIONS", "2000"), 1024).warning().isPresent());
    }

    @Test
    void garbageStopsStartUpNamingTheKey() {
        for (String[] bad : new String[][] {
                {"MAILFLEET_PRE_LOGIN_CONNECTIONS_PER_ADDRESS", "-1", "mailfleet.connections.pre-login-per-address"},
                {"MAILFLEET_TLS_HANDSHAKES_PER_ADDRESS", "ten", "mailfleet.connections.tls-handshakes-per-address"},
                {"MAILFLEET_MAX_CONNECTIONS", "lots", "mailfleet.connections.max-connections"},
                {"MAILFLEET_LOGIN_TIMEOUT", "60", "mailfleet.connections.login-timeout"},
                {"MAILFLEET_LOGIN_TIMEOUT", "2h", "mailfleet.connections.login-timeout"}}) {
            ConfigError e = assertThrows(ConfigError.class, () -> load(bad[0], bad[1]), bad[1]);
            assertTrue(e.getMessage().contains(bad[2]), e.getMessage());
        }
    }
}
