package io.mailfleet.server.config;

import io.mailfleet.core.address.InvalidAddressException;
import io.mailfleet.core.address.MailAddress;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code mailfleet.web}: the web admin and self-service UI on the management listener.
 *
 * @param enabled         serve {@code /ui}; off leaves the listener to the JSON API alone
 * @param adminAccounts   mail accounts (lower case) that log in as administrators with their mail password,
 *                        besides the login {@code admin} with the API token
 * @param sessionLifetime how long a login lasts before the UI asks for the password again
 * @param chartSampling   how often this node samples its metrics for the charts page (minute resolution)
 */
public record WebSettings(boolean enabled, List<String> adminAccounts, Duration sessionLifetime,
                          Duration chartSampling) {

    public WebSettings {
        adminAccounts = List.copyOf(adminAccounts);
    }

    /** Reads and checks the keys; a bad value names its key. */
    static WebSettings read(ValueReader r) {
        TreeSet<String> admins = new TreeSet<>();
        for (String a : r.stringList("mailfleet.web.admin-accounts")) {
            try {
                admins.add(MailAddress.parse(a).key());
            } catch (InvalidAddressException e) {
                throw r.invalid("mailfleet.web.admin-accounts", a, "mail account addresses such as admin@example.com");
            }
        }
        return new WebSettings(r.bool("mailfleet.web.enabled"), List.copyOf(admins),
                r.durationIn("mailfleet.web.session-lifetime", Duration.ofMinutes(5), Duration.ofDays(7),
                        "between 5m and 7d"),
                r.durationIn("mailfleet.web.chart-sampling", Duration.ofSeconds(1), Duration.ofMinutes(1),
                        "between 1s and 1m"));
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static WebSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
