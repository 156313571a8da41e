package io.mailfleet.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mailfleet.dmarc.reports}: DMARC aggregate reports (RFC 7489 section 7.2) of inbound mail.
 *
 * @param address the From of the reports; "" = off (nothing recorded, nothing sent)
 * @param period  1 day: daily reports of complete UTC days; shorter (tests): reports of what was recorded so far
 */
public record DmarcReportSettings(String address, Duration period) {

    /** True when evaluations are recorded and reports sent. */
    public boolean enabled() {
        return !address.isEmpty();
    }

    /** Reads and checks the keys; a bad value names its key. */
    static DmarcReportSettings read(ValueReader r) {
        String address = r.string("mailfleet.dmarc.reports.address").toLowerCase(Locale.ROOT);
        if (!address.isEmpty() && !address.matches("[^@\\s<>]+@[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
            throw r.invalid("mailfleet.dmarc.reports.address", address,
                    "an e-mail address such as dmarc-reports@example.com, or \"\" for DMARC reports off");
        }
        return new DmarcReportSettings(address, r.durationIn("mailfleet.dmarc.reports.period", Duration.ofSeconds(1),
                Duration.ofDays(1), "a duration from 1s to 1d (1d = daily reports)"));
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static DmarcReportSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
