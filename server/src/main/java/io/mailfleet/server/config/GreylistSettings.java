package io.mailfleet.server.config;

import io.mailfleet.core.greylist.GreylistPolicy;
import io.mailfleet.core.greylist.GreylistWhitelist;
import io.mailfleet.core.greylist.KnownGoodSenders;
import com.typesafe.config.ConfigException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * {@code mailfleet.greylist}: docker-mailserver's Postgrey ({@code ENABLE_POSTGREY}, {@code POSTGREY_DELAY}
 * in seconds, {@code POSTGREY_MAX_AGE} in days, {@code POSTGREY_TEXT}, {@code POSTGREY_AUTO_WHITELIST_CLIENTS})
 * and the whitelist files {@code whitelist_clients.local} / {@code whitelist_recipients} read from
 * {@code mailfleet.greylist.whitelist-dir} (default: the docker-mailserver config directory), and the
 * sender domains whose DKIM-passing mail skips greylisting ({@code mailfleet.greylist.dkim-known-good-domains},
 * {@code MAILFLEET_GREYLIST_DKIM_DOMAINS}).
 */
public record GreylistSettings(boolean enabled, GreylistPolicy policy, String text, GreylistWhitelist whitelist,
                               KnownGoodSenders knownGood) {

    static GreylistSettings read(ValueReader r, Optional<Path> dmsConfigDir) {
        boolean enabled = r.bool("mailfleet.greylist.enabled");
        Duration delay = numberOrDuration(r, "mailfleet.greylist.delay", ChronoUnit.SECONDS, Duration.ZERO,
                Duration.ofDays(30), "seconds (a whole number such as 300) or a duration such as 5m, 0..30d");
        Duration maxAge = numberOrDuration(r, "mailfleet.greylist.max-age", ChronoUnit.DAYS, Duration.ofSeconds(1),
                Duration.ofDays(3650), "days (a whole number such as 35) or a duration such as 12h, at least 1s");
        int auto = r.intIn("mailfleet.greylist.auto-whitelist-clients", 0, 1_000_000);
        Duration flush = r.durationIn("mailfleet.greylist.flush-interval", Duration.ofMillis(100),
                Duration.ofMinutes(10), "a duration from 100ms to 10m, such as 5s");
        String text = r.string("mailfleet.greylist.text");
        if (text.isEmpty() || !text.matches("[\\x20-\\x7e]+")) {
            throw r.invalid("mailfleet.greylist.text", text, "printable ASCII text, such as \"Delayed by Postgrey\"");
        }
        String dirText = r.string("mailfleet.greylist.whitelist-dir");
        Optional<Path> dir = dirText.isEmpty() ? dmsConfigDir : Optional.of(Path.of(dirText));
        GreylistWhitelist whitelist = GreylistWhitelist.NONE;
        if (enabled && dir.isPresent()) {
            try {
                whitelist = GreylistWhitelist.load(dir.get());
            } catch (IOException | IllegalArgumentException e) {
                throw r.invalid("mailfleet.greylist.whitelist-dir", dir.get().toString(),
                        "a directory with readable whitelist_clients.local / whitelist_recipients (" + e.getMessage() + ")");
            }
        }
        KnownGoodSenders knownGood;
        List<String> domains = r.stringList("mailfleet.greylist.dkim-known-good-domains").stream()
                .flatMap(e -> java.util.Arrays.stream(e.trim().split("\\s+"))).filter(e -> !e.isEmpty()).toList();
        try {
            knownGood = KnownGoodSenders.of(domains);
        } catch (IllegalArgumentException e) {
            throw r.invalid("mailfleet.greylist.dkim-known-good-domains", String.join(",", domains),
                    "domain names separated by commas or spaces, such as \"example.com, example.org\" (" + e.getMessage() + ")");
        }
        return new GreylistSettings(enabled, new GreylistPolicy(delay, maxAge, auto, flush), text, whitelist, knownGood);
    }

    /** A bare whole number in {@code unit} (as docker-mailserver's variables are), or a HOCON duration. */
    static Duration numberOrDuration(ValueReader r, String key, ChronoUnit unit, Duration min, Duration max,
                                             String what) {
        String s = r.string(key).trim();
        Duration d = null;
        if (s.matches("\\d{1,9}")) {
            d = Duration.of(Long.parseLong(s), unit);
        } else {
            try {
                d = r.config().getDuration(key);
            } catch (ConfigException e) {
                // falls through to the error below
            }
        }
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw r.invalid(key, s, what);
        }
        return d;
    }
}
