package io.mailfleet.server.config;

import io.mailfleet.core.greylist.GreylistPolicy;
import io.mailfleet.core.ratelimit.RateLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mailfleet.greylist} and {@code mailfleet.rate-limits}: docker-mailserver's Postgrey defaults and
 * variables (bare numbers in seconds and days), the whitelist files from the config directory, Postfix's
 * "no limit" defaults, and garbage values that stop start-up naming the key.
 */
class SmtpDefenceSettingsTest {

    @TempDir
    Path dir;

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        m.put("MAILFLEET_DATA", dir.resolve("data").toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreDockerMailserversAndPostfixs() {
        Settings s = MailfleetConfig.load(null, env()).settings();
        assertFalse(s.greylist().enabled());
        assertEquals(new GreylistPolicy(Duration.ofSeconds(300), Duration.ofDays(35), 5, Duration.ofSeconds(5)),
                s.greylist().policy());
        assertEquals("Delayed by Postgrey", s.greylist().text());
        assertTrue(s.greylist().knownGood().isEmpty(), "no known-good DKIM domain by default");
        assertFalse(s.rateLimits().limits().any(), "no rate limit by default");
        assertEquals(Optional.empty(), s.rateLimits().outboundDomain());
    }

    @Test
    void postgreyVariablesAndWhitelistFiles() throws Exception {
        Path dms = Files.createDirectories(dir.resolve("dms"));
        Files.writeString(dms.resolve("whitelist_clients.local"), "# partners\n192.0.2\nmx.partner.example\n");
        Files.writeString(dms.resolve("whitelist_recipients"), "postmaster@\n");
        Settings s = MailfleetConfig.load(null, env("ENABLE_POSTGREY", "1", "POSTGREY_DELAY", "60",
                "POSTGREY_MAX_AGE", "7", "POSTGREY_TEXT", "Come back later", "POSTGREY_AUTO_WHITELIST_CLIENTS", "0",
                "DMS_CONFIG_DIR", dms.toString(), "MAILFLEET_GREYLIST_DKIM_DOMAINS", "bank.example, shop.example other.example"))
                .settings();
        assertTrue(s.greylist().enabled());
        assertEquals(List.of("bank.example", "shop.example", "other.example"), s.greylist().knownGood().domains());
        assertEquals(new GreylistPolicy(Duration.ofSeconds(60), Duration.ofDays(7), 0, Duration.ofSeconds(5)),
                s.greylist().policy());
        assertEquals("Come back later", s.greylist().text());
        assertTrue(s.greylist().whitelist().client(InetAddress.getByName("192.0.2.200")));
        assertFalse(s.greylist().whitelist().client(InetAddress.getByName("192.0.3.1")));
        assertTrue(s.greylist().whitelist().recipient("postmaster@example.com"));
        assertEquals(List.of("mx.partner.example"), s.greylist().whitelist().skippedClientEntries());
    }

    @Test
    void rateLimitVariables() {
        Settings s = MailfleetConfig.load(null, env("MAILFLEET_CLIENT_CONNECTION_RATE", "30",
                "MAILFLEET_USER_MESSAGES_PER_DAY", "500", "MAILFLEET_OUTBOUND_DOMAIN_RATE", "12")).settings();
        assertEquals(Optional.of(new RateLimit("outbound-domain", Duration.ofMinutes(1), 12)),
                s.rateLimits().outboundDomain());
        assertEquals(Optional.of(new RateLimit("client-connections", Duration.ofMinutes(1), 30)),
                s.rateLimits().limits().clientConnections());
        assertEquals(List.of(new RateLimit("user-messages-day", Duration.ofDays(1), 500)),
                s.rateLimits().limits().userMessages());
        assertEquals(Optional.empty(), s.rateLimits().limits().clientMessages());
    }

    @Test
    void garbageStopsStartUpNamingTheKey() {
        for (String[] bad : new String[][] {
                {"POSTGREY_DELAY", "soon", "mailfleet.greylist.delay"},
                {"POSTGREY_DELAY", "-5", "mailfleet.greylist.delay"},
                {"POSTGREY_MAX_AGE", "0", "mailfleet.greylist.max-age"},
                {"POSTGREY_MAX_AGE", "forever", "mailfleet.greylist.max-age"},
                {"POSTGREY_AUTO_WHITELIST_CLIENTS", "-1", "mailfleet.greylist.auto-whitelist-clients"},
                {"POSTGREY_AUTO_WHITELIST_CLIENTS", "five", "mailfleet.greylist.auto-whitelist-clients"},
                {"ENABLE_POSTGREY", "maybe", "mailfleet.greylist.enabled"},
                {"MAILFLEET_GREYLIST_DKIM_DOMAINS", "bank.example,*.evil", "mailfleet.greylist.dkim-known-good-domains"},
                {"MAILFLEET_CLIENT_CONNECTION_RATE", "-1", "mailfleet.rate-limits.client-connections-per-minute"},
                {"MAILFLEET_CLIENT_RECIPIENT_RATE", "lots", "mailfleet.rate-limits.client-recipients-per-minute"},
                {"MAILFLEET_USER_RECIPIENTS_PER_DAY", "1.5", "mailfleet.rate-limits.user-recipients-per-day"},
                {"MAILFLEET_OUTBOUND_DOMAIN_RATE", "-3", "mailfleet.rate-limits.outbound-domain-messages-per-minute"}}) {
            ConfigError e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env(bad[0], bad[1])),
                    bad[0] + "=" + bad[1]);
            assertTrue(e.getMessage().contains(bad[2]) && e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    @Test
    void aBadRegularExpressionInTheRecipientWhitelistStopsStartUp() throws Exception {
        Path dms = Files.createDirectories(dir.resolve("dms"));
        Files.writeString(dms.resolve("whitelist_recipients"), "/([a-z/\n");
        ConfigError e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env("ENABLE_POSTGREY", "1",
                "DMS_CONFIG_DIR", dms.toString())));
        assertTrue(e.getMessage().contains("mailfleet.greylist.whitelist-dir") && e.getMessage().contains("([a-z"),
                e.getMessage());
    }
}
