package io.mailfleet.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mailfleet.dkim.rotation}: the automatic steps of a DKIM key rotation.
 *
 * @param switchAfter   how old a pending rotation must be before it switches (once DNS answers its
 *                      record); zero = never automatically
 * @param retireAfter   how long after a switch the replaced key is retired; zero = never automatically
 * @param checkInterval how often the check runs
 */
public record DkimRotationSettings(Duration switchAfter, Duration retireAfter, Duration checkInterval) {

    private static final String PREFIX = "mailfleet.dkim.rotation.";
    private static final Duration MAX = Duration.ofDays(3650);

    /** True when the node switches pending rotations by itself. */
    public boolean switches() {
        return !switchAfter.isZero();
    }

    /** True when the node retires replaced keys by itself. */
    public boolean retires() {
        return !retireAfter.isZero();
    }

    /** A duration as the configuration writes it: {@code 7d}, {@code 48h}, {@code 90m}, {@code 2s} (days from 3 on). */
    public static String text(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0 && s >= 3 * 86400) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** Reads and checks the keys; a bad value names its key. */
    static DkimRotationSettings read(ValueReader r) {
        return new DkimRotationSettings(offOrDuration(r, PREFIX + "switch-after"), offOrDuration(r, PREFIX + "retire-after"),
                r.durationIn(PREFIX + "check-interval", Duration.ofSeconds(1), Duration.ofDays(1),
                        "a duration from 1s to 1d such as 10m"));
    }

    private static Duration offOrDuration(ValueReader r, String key) {
        String v = r.string(key).strip().toLowerCase(Locale.ROOT);
        if (v.equals("off") || v.equals("0")) {
            return Duration.ZERO;
        }
        return r.durationIn(key, Duration.ofSeconds(1), MAX, "a duration such as 48h or 7d, or 0/off (only by command)");
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static DkimRotationSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
