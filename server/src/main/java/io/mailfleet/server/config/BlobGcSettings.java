package io.mailfleet.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.time.Duration;

/** {@code mailfleet.storage.blob-gc}: how often blob garbage collection runs and which blobs it may take. */
public record BlobGcSettings(Duration interval, Duration grace, Duration askTimeout) {

    private static final String PREFIX = "mailfleet.storage.blob-gc.";

    /** Reads and checks the settings; a bad value is an IllegalArgumentException naming the key. */
    public static BlobGcSettings read(Config c) {
        Duration interval = duration(c, "interval");
        Duration grace = duration(c, "grace");
        Duration ask = duration(c, "ask-timeout");
        if (!interval.isZero() && interval.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException(PREFIX + "interval = " + interval + " is too short; use 0 (off) or at least 1m");
        }
        if (grace.compareTo(Duration.ofMinutes(10)) < 0) {
            throw new IllegalArgumentException(PREFIX + "grace = " + grace + " is too short; use at least 10m");
        }
        if (ask.isZero() || ask.isNegative()) {
            throw new IllegalArgumentException(PREFIX + "ask-timeout must be positive, got " + ask);
        }
        return new BlobGcSettings(interval, grace, ask);
    }

    private static Duration duration(Config c, String key) {
        try {
            Duration d = c.getDuration(PREFIX + key);
            if (d.isNegative()) {
                throw new IllegalArgumentException(PREFIX + key + " must not be negative, got " + d);
            }
            return d;
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a duration such as 24h or 30m: " + e.getMessage(), e);
        }
    }
}
