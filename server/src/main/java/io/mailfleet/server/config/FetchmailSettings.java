package io.mailfleet.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mailfleet.fetchmail}: docker-mailserver's fetchmail ({@code ENABLE_FETCHMAIL}, {@code FETCHMAIL_POLL}
 * in seconds) with the sources in {@code fetchmail.cf} (default: in the docker-mailserver config directory).
 *
 * @param file       the {@code fetchmail.cf} to read; empty when neither the key nor a config directory names one
 * @param maxBackoff the longest wait after consecutive failed polls (never shorter than {@code poll})
 */
public record FetchmailSettings(boolean enabled, Duration poll, Duration maxBackoff, Optional<Path> file) {

    static FetchmailSettings read(ValueReader r, Optional<Path> dmsConfigDir) {
        boolean enabled = r.bool("mailfleet.fetchmail.enabled");
        Duration poll = GreylistSettings.numberOrDuration(r, "mailfleet.fetchmail.poll", ChronoUnit.SECONDS,
                Duration.ofSeconds(1), Duration.ofDays(1), "seconds (a whole number such as 300) or a duration such as 5m, 1s..1d");
        Duration maxBackoff = r.durationIn("mailfleet.fetchmail.max-backoff", Duration.ofSeconds(1), Duration.ofDays(1),
                "a duration from 1s to 1d, such as 1h");
        String f = r.string("mailfleet.fetchmail.file");
        Optional<Path> file = f.isEmpty() ? dmsConfigDir.map(d -> d.resolve("fetchmail.cf")) : Optional.of(Path.of(f));
        return new FetchmailSettings(enabled, poll, maxBackoff, file);
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static FetchmailSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()), loaded.settings().dmsConfigDir());
    }
}
