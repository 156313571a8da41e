package io.mailfleet.ops.outbound;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.mailfleet.cluster.queue.RetrySchedule;
import io.mailfleet.ops.config.ConfigError;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The outbound settings ({@code mailfleet.outbound}, {@code mailfleet.relay}, {@code mailfleet.dkim},
 * {@code mailfleet.srs}) read from the loaded configuration; a bad value stops start-up naming its key.
 */
public record OutboundConfig(String dnsServer, Duration dnsTimeout, int mxPort, int destinationConcurrency,
                             RetrySchedule retry, Duration delayWarning, Duration smtpTimeout,
                             String defaultRelayHost, String relayHost, int relayPort, String relayUser,
                             String relayPassword, Path dkimDir, boolean srsEnabled, String srsSecret,
                             List<String> srsExcludeDomains, String srsDomain) {

    /** Reads the settings; {@code dataDir}, {@code dmsDir} and {@code mailDomain} give the defaults. */
    public static OutboundConfig read(Config c, Path dataDir, Optional<Path> dmsDir, String mailDomain) {
        Duration first = positive(c, "mailfleet.outbound.retry-first");
        Duration max = positive(c, "mailfleet.outbound.retry-max");
        if (max.compareTo(first) < 0) {
            throw new ConfigError("mailfleet.outbound.retry-max = " + max.toSeconds()
                    + "s: must be at least mailfleet.outbound.retry-first (" + first.toSeconds() + "s)");
        }
        RetrySchedule retry = new RetrySchedule(first, max, positive(c, "mailfleet.outbound.queue-lifetime"));
        String dkim = c.getString("mailfleet.dkim.dir");
        Path dkimDir = !dkim.isBlank() ? Path.of(dkim)
                : dmsDir.map(d -> d.resolve("opendkim")).orElse(dataDir.resolve("dkim"));
        String srsDomain = c.getString("mailfleet.srs.domain").strip().toLowerCase(java.util.Locale.ROOT);
        if (!srsDomain.isEmpty() && !srsDomain.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
            throw new ConfigError("mailfleet.srs.domain = '" + srsDomain + "': expected a domain name such as example.com");
        }
        return new OutboundConfig(c.getString("mailfleet.outbound.dns-server").strip(),
                positive(c, "mailfleet.outbound.dns-timeout"),
                intIn(c, "mailfleet.outbound.mx-port", 1, 65535),
                intIn(c, "mailfleet.outbound.destination-concurrency", 1, 10_000),
                retry,
                nonNegative(c, "mailfleet.outbound.delay-warning"),
                nonNegative(c, "mailfleet.outbound.smtp-timeout"),
                c.getString("mailfleet.relay.default-relay-host").strip(),
                c.getString("mailfleet.relay.host").strip(),
                intIn(c, "mailfleet.relay.port", 1, 65535),
                c.getString("mailfleet.relay.user").strip(),
                c.getString("mailfleet.relay.password"),
                dkimDir,
                bool(c, "mailfleet.srs.enabled"),
                c.getString("mailfleet.srs.secret").strip(),
                Arrays.stream(c.getString("mailfleet.srs.exclude-domains").split(","))
                        .map(String::strip).filter(s -> !s.isEmpty()).toList(),
                srsDomain.isEmpty() ? mailDomain : srsDomain);
    }

    private static boolean bool(Config c, String key) {
        try {
            return c.getBoolean(key);
        } catch (ConfigException.WrongType e) {
            String v = c.getString(key).strip().toLowerCase(java.util.Locale.ROOT);
            return switch (v) {
                case "1", "yes", "on", "true" -> true;
                case "0", "no", "off", "false" -> false;
                default -> throw new ConfigError(key + " = '" + v + "': expected 0/1, true/false, yes/no or on/off");
            };
        }
    }

    private static int intIn(Config c, String key, int min, int max) {
        String text = c.getValue(key).unwrapped().toString().strip();
        try {
            int v = Integer.parseInt(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new ConfigError(key + " = '" + text + "': expected a whole number " + min + ".." + max);
    }

    private static Duration duration(Config c, String key) {
        try {
            return c.getDuration(key);
        } catch (ConfigException e) {
            throw new ConfigError(key + " = '" + c.getValue(key).unwrapped() + "': expected a duration such as 300s, 4000s or 5d");
        }
    }

    private static Duration positive(Config c, String key) {
        Duration d = duration(c, key);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigError(key + " = '" + c.getValue(key).unwrapped() + "': must be longer than zero");
        }
        return d;
    }

    private static Duration nonNegative(Config c, String key) {
        Duration d = duration(c, key);
        if (d.isNegative()) {
            throw new ConfigError(key + " = '" + c.getValue(key).unwrapped() + "': must not be negative");
        }
        return d;
    }
}
