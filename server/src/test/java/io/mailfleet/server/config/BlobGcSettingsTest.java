package io.mailfleet.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlobGcSettingsTest {

    private static Config with(String overrides) {
        return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()).resolve();
    }

    @Test
    void defaultsRunDailyWithADayOfGrace() {
        BlobGcSettings s = BlobGcSettings.read(with(""));
        assertEquals(Duration.ofHours(24), s.interval());
        assertEquals(Duration.ofHours(24), s.grace());
        assertEquals(Duration.ofSeconds(60), s.askTimeout());
    }

    @Test
    void zeroIntervalTurnsTheScheduleOff() {
        assertTrue(BlobGcSettings.read(with("mailfleet.storage.blob-gc.interval = 0")).interval().isZero());
    }

    @Test
    void badValuesNameTheKey() {
        IllegalArgumentException shortGrace = assertThrows(IllegalArgumentException.class,
                () -> BlobGcSettings.read(with("mailfleet.storage.blob-gc.grace = 5m")));
        assertTrue(shortGrace.getMessage().startsWith("mailfleet.storage.blob-gc.grace = PT5M is too short"),
                shortGrace.getMessage());
        IllegalArgumentException notDuration = assertThrows(IllegalArgumentException.class,
                () -> BlobGcSettings.read(with("mailfleet.storage.blob-gc.interval = daily")));
        assertTrue(notDuration.getMessage().startsWith("mailfleet.storage.blob-gc.interval must be a duration"),
                notDuration.getMessage());
        IllegalArgumentException tooOften = assertThrows(IllegalArgumentException.class,
                () -> BlobGcSettings.read(with("mailfleet.storage.blob-gc.interval = 10s")));
        assertTrue(tooOften.getMessage().contains("use 0 (off) or at least 1m"), tooOften.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BlobGcSettings.read(with("mailfleet.storage.blob-gc.ask-timeout = 0s")));
    }

    @Test
    void aBadEnvironmentValueStopsStartUpNamingTheKey(@TempDir Path dir) {
        ConfigError e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null,
                Map.of("MAILFLEET_DATA", dir.toString(), "MAILFLEET_BLOB_GC_GRACE", "5m")));
        assertTrue(e.getMessage().contains("mailfleet.storage.blob-gc.grace"), e.getMessage());
        assertEquals(Duration.ZERO, BlobGcSettings.read(MailfleetConfig.load(null,
                Map.of("MAILFLEET_DATA", dir.toString(), "MAILFLEET_BLOB_GC_INTERVAL", "0")).config()).interval());
    }
}
