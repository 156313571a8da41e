package io.mailfleet.server.config;

import java.time.Duration;
import java.util.Map;

/**
 * {@code mailfleet.no-account-wait}: how long a node with file accounts and none of them waits for
 * a first account before it stops, as docker-mailserver does (about 120 s); {@code forever} keeps it
 * running with one warning.
 *
 * @param duration the wait; ignored when {@code forever}
 * @param forever  never stop for want of an account
 */
public record NoAccountWait(Duration duration, boolean forever) {

    private static final String KEY = "mailfleet.no-account-wait";

    /** Reads and checks the key; a bad value names it. */
    static NoAccountWait read(ValueReader r) {
        if (r.string(KEY).trim().equalsIgnoreCase("forever")) {
            return new NoAccountWait(Duration.ZERO, true);
        }
        return new NoAccountWait(r.durationIn(KEY, Duration.ofSeconds(10), Duration.ofDays(1),
                "a duration from 10s to 1d (e.g. 120s, 5m) or forever"), false);
    }

    /** The setting of a loaded configuration (checked already when it was loaded). */
    public static NoAccountWait of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
