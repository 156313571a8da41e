package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scanners' settings from docker-mailserver's variables; a bad value stops start-up naming its key. */
class ScannerSettingsTest {

    private static ScannerSettings load(Map<String, String> env) {
        return ScannerSettings.of(MailfleetConfig.load(null, env));
    }

    @Test
    void offByDefaultWithDockerMailserversThresholds() {
        ScannerSettings s = load(Map.of());
        assertFalse(s.clamav().enabled());
        assertFalse(s.spamAssassin().enabled());
        assertFalse(s.rspamd().enabled());
        assertEquals(25L * 1024 * 1024, s.clamav().messageSizeLimit());
        assertEquals(2.0, s.spamAssassin().tag());
        assertEquals(6.31, s.spamAssassin().tag2());
        assertEquals(10.0, s.spamAssassin().kill());
        assertTrue(s.spamAssassin().spamToInbox());
        assertFalse(s.clamav().call().failOpen());
    }

    @Test
    void variablesSetTheScanners() {
        ScannerSettings s = load(Map.of("ENABLE_CLAMAV", "1", "MAILFLEET_CLAMAV_ADDRESS", "/run/clamav/clamd.ctl",
                "CLAMAV_MESSAGE_SIZE_LIMIT", "10M", "ENABLE_SPAMASSASSIN", "1", "SA_TAG", "-999", "SA_TAG2", "5",
                "SA_KILL", "20", "SPAMASSASSIN_SPAM_TO_INBOX", "0",
                "RSPAMD_CHECK_AUTHENTICATED", "1", "MAILFLEET_RSPAMD_URL", "http://rspamd:11333"));
        assertEquals(UnixDomainSocketAddress.of("/run/clamav/clamd.ctl"), s.clamav().address());
        assertEquals(10L * 1024 * 1024, s.clamav().messageSizeLimit());
        assertEquals(-999.0, s.spamAssassin().tag());
        assertFalse(s.spamAssassin().spamToInbox());
        assertTrue(s.rspamd().checkAuthenticated());
        assertEquals("rspamd", s.rspamd().url().getHost());
        assertEquals(783, ((InetSocketAddress) s.spamAssassin().address()).getPort());
    }

    @Test
    void garbageNamesTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, Map.of("SA_TAG2", "lots")));
        assertTrue(e.getMessage().contains("mailfleet.spamassassin.tag2 (from environment variable SA_TAG2)"),
                e.getMessage());
        e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, Map.of("SA_KILL", "3")));
        assertTrue(e.getMessage().contains("mailfleet.spamassassin.kill"), e.getMessage());
        e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, Map.of("MAILFLEET_CLAMAV_ADDRESS", "clamd")));
        assertTrue(e.getMessage().contains("mailfleet.clamav.address"), e.getMessage());
        e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, Map.of("MAILFLEET_RSPAMD_URL", "rspamd:11333")));
        assertTrue(e.getMessage().contains("mailfleet.rspamd.url"), e.getMessage());
    }
}
