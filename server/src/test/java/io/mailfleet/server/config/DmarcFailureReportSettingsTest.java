package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.dmarc.failure-reports}: off by default, needs the report address, bad values stop start-up. */
class DmarcFailureReportSettingsTest {

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
    void offByDefaultOnWithTheReportAddress() {
        assertEquals(new DmarcFailureReportSettings(false, 10), DmarcFailureReportSettings.of(load()));
        assertEquals(new DmarcFailureReportSettings(true, 3), DmarcFailureReportSettings.of(load(
                "MAILFLEET_DMARC_REPORT_ADDRESS", "dmarc@example.com", "MAILFLEET_DMARC_FAILURE_REPORTS", "1",
                "MAILFLEET_DMARC_FAILURE_REPORTS_PER_HOUR", "3")));
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        ConfigError noAddress = assertThrows(ConfigError.class, () -> load("MAILFLEET_DMARC_FAILURE_REPORTS", "1"));
        assertTrue(noAddress.getMessage().contains("mailfleet.dmarc.failure-reports.enabled"), noAddress.getMessage());
        assertTrue(noAddress.getMessage().contains("MAILFLEET_DMARC_REPORT_ADDRESS"), noAddress.getMessage());
        ConfigError flag = assertThrows(ConfigError.class, () -> load("MAILFLEET_DMARC_FAILURE_REPORTS", "often"));
        assertTrue(flag.getMessage().contains("mailfleet.dmarc.failure-reports.enabled"), flag.getMessage());
        ConfigError max = assertThrows(ConfigError.class, () -> load("MAILFLEET_DMARC_FAILURE_REPORTS_PER_HOUR", "0"));
        assertTrue(max.getMessage().contains("mailfleet.dmarc.failure-reports.max-per-hour"), max.getMessage());
    }
}
