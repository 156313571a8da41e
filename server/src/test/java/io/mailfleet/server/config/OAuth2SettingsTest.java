package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.oauth2} and {@code mailfleet.auth} from docker-mailserver variables; bad values stop start-up naming the key. */
class OAuth2SettingsTest {

    private static LoadedConfig load(Map<String, String> env) {
        return MailfleetConfig.load(null, env);
    }

    @Test
    void offByDefault() {
        LoadedConfig c = load(Map.of());
        assertFalse(OAuth2Settings.of(c).enabled());
        assertFalse(MasterUserSettings.of(c).smtpAllowed());
    }

    @Test
    void dmsIntrospectionUrlCarriesTheClientCredentials() {
        OAuth2Settings s = OAuth2Settings.of(load(Map.of("ENABLE_OAUTH2", "1",
                "OAUTH2_INTROSPECTION_URL", "https://mail%40client:p%3Ass@idp.example:8443/realms/x/introspect?a=b")));
        assertTrue(s.enabled());
        assertEquals(Optional.of(URI.create("https://idp.example:8443/realms/x/introspect?a=b")), s.introspectionUrl());
        assertEquals("mail@client", s.clientId());
        assertEquals("p:ss", s.clientSecret());
        assertFalse(s.localJwt());
        assertEquals("email", s.usernameClaim());
        assertFalse(s.toString().contains("p:ss"), "no secret in log lines");
    }

    @Test
    void enabledWithoutAWayToCheckTokensOrWithBadValuesStopsStartUp() {
        ConfigError none = assertThrows(ConfigError.class, () -> load(Map.of("ENABLE_OAUTH2", "1")));
        assertTrue(none.getMessage().contains("mailfleet.oauth2.enabled"), none.getMessage());
        ConfigError url = assertThrows(ConfigError.class,
                () -> load(Map.of("ENABLE_OAUTH2", "1", "OAUTH2_INTROSPECTION_URL", "ftp://idp.example/x")));
        assertTrue(url.getMessage().contains("mailfleet.oauth2.introspection-url")
                && url.getMessage().contains("OAUTH2_INTROSPECTION_URL"), url.getMessage());
        ConfigError flag = assertThrows(ConfigError.class, () -> load(Map.of("ENABLE_OAUTH2", "maybe")));
        assertTrue(flag.getMessage().contains("mailfleet.oauth2.enabled"), flag.getMessage());
    }
}
