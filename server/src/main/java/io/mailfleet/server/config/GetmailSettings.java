package io.mailfleet.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mailfleet.getmail}: docker-mailserver's getmail ({@code ENABLE_GETMAIL}, {@code GETMAIL_POLL} in
 * minutes, 1..30 as docker-mailserver allows) with one source per {@code getmail-*.cf} in the directory.
 *
 * @param dir the directory of the {@code getmail-*.cf} files; empty when neither the key nor a config directory names one
 */
public record GetmailSettings(boolean enabled, Duration poll, Optional<Path> dir) {

    static GetmailSettings read(ValueReader r, Optional<Path> dmsConfigDir) {
        boolean enabled = r.bool("mailfleet.getmail.enabled");
        Duration poll = GreylistSettings.numberOrDuration(r, "mailfleet.getmail.poll", ChronoUnit.MINUTES,
                Duration.ofMinutes(1), Duration.ofMinutes(30), "minutes (a whole number from 1 to 30) or a duration such as 10m, 1m..30m");
        String d = r.string("mailfleet.getmail.dir");
        Optional<Path> dir = d.isEmpty() ? dmsConfigDir : Optional.of(Path.of(d));
        return new GetmailSettings(enabled, poll, dir);
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static GetmailSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()), loaded.settings().dmsConfigDir());
    }
}
