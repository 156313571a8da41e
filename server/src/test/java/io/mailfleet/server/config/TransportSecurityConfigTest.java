package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.mta-sts.*} and {@code mailfleet.tls-rpt.*}: defaults, environment, and values that stop start-up. */
class TransportSecurityConfigTest {

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static TransportSecurityConfig load(String... kv) {
        return MailfleetConfig.load(null, env(kv)).settings().outbound().security();
    }

    private static String error(String... kv) {
        return assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env(kv))).getMessage();
    }

    @Test
    void defaults() {
        TransportSecurityConfig c = load();
        assertTrue(c.mtaSts());
        assertEquals(Duration.ofSeconds(10), c.fetchTimeout());
        assertEquals(Duration.ofSeconds(31_557_600), c.maxAgeCap());
        assertEquals(443, c.httpsPort());
        assertFalse(c.tlsRpt(), "TLS-RPT is off unless a report address is configured");
        assertEquals(Duration.ofDays(1), c.reportPeriod());
    }

    @Test
    void environment() {
        TransportSecurityConfig c = load("ENABLE_MTA_STS", "0", "MAILFLEET_TLS_RPT_ADDRESS", "TLSRPT@Example.com",
                "MAILFLEET_TLS_RPT_PERIOD", "30s", "MAILFLEET_MTA_STS_HTTPS_PORT", "8443");
        assertFalse(c.mtaSts());
        assertTrue(c.tlsRpt());
        assertEquals("tlsrpt@example.com", c.reportAddress());
        assertEquals("tlsrpt@example.com", c.contactInfo(), "contact-info defaults to the report address");
        assertEquals("mail.example.com", c.organization(), "organization defaults to the hostname");
        assertEquals(Duration.ofSeconds(30), c.reportPeriod());
        assertEquals(8443, c.httpsPort());
    }

    @Test
    void garbageStopsStartUpNamingTheKey() {
        assertTrue(error("MAILFLEET_TLS_RPT_ADDRESS", "not an address").contains("mailfleet.tls-rpt.report-address"));
        assertTrue(error("MAILFLEET_TLS_RPT_PERIOD", "2d").contains("mailfleet.tls-rpt.period"));
        assertTrue(error("MAILFLEET_TLS_RPT_PERIOD", "often").contains("mailfleet.tls-rpt.period"));
        assertTrue(error("ENABLE_MTA_STS", "perhaps").contains("mailfleet.mta-sts.enabled"));
        assertTrue(error("MAILFLEET_MTA_STS_HTTPS_PORT", "70000").contains("mailfleet.mta-sts.https-port"));
    }
}
