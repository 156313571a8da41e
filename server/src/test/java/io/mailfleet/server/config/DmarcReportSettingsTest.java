package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.dmarc.reports}: off by default, on with an address, bad values stop start-up. */
class DmarcReportSettingsTest {

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
    void offByDefaultDailyWhenOn() {
        assertFalse(DmarcReportSettings.of(load()).enabled());
        DmarcReportSettings on = DmarcReportSettings.of(load("MAILFLEET_DMARC_REPORT_ADDRESS", "DMARC@Example.com"));
        assertEquals(new DmarcReportSettings("dmarc@example.com", Duration.ofDays(1)), on);
        assertEquals(Duration.ofSeconds(2), DmarcReportSettings.of(load("MAILFLEET_DMARC_REPORT_ADDRESS",
                "dmarc@example.com", "MAILFLEET_DMARC_REPORT_PERIOD", "2s")).period());
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        ConfigError a = assertThrows(ConfigError.class, () -> load("MAILFLEET_DMARC_REPORT_ADDRESS", "not an address"));
        assertTrue(a.getMessage().contains("mailfleet.dmarc.reports.address"), a.getMessage());
        ConfigError p = assertThrows(ConfigError.class, () -> load("MAILFLEET_DMARC_REPORT_PERIOD", "2d"));
        assertTrue(p.getMessage().contains("mailfleet.dmarc.reports.period"), p.getMessage());
    }
}
