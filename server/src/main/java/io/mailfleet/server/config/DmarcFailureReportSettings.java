package io.mailfleet.server.config;

import java.util.Map;

/**
 * {@code mailfleet.dmarc.failure-reports}: DMARC failure reports (RFC 7489 section 7.3, AFRF of RFC 6591),
 * off by default. They are sent from {@code mailfleet.dmarc.reports.address}, which must be set.
 *
 * @param enabled    send failure reports to the {@code ruf=} addresses of failing domains
 * @param maxPerHour reports per policy domain and hour, cluster-wide, at most
 */
public record DmarcFailureReportSettings(boolean enabled, int maxPerHour) {

    static final String ENABLED = "mailfleet.dmarc.failure-reports.enabled";

    /** Reads and checks the keys; a bad value names its key. */
    static DmarcFailureReportSettings read(ValueReader r) {
        boolean enabled = r.bool(ENABLED);
        int max = r.intIn("mailfleet.dmarc.failure-reports.max-per-hour", 1, 100_000);
        if (enabled && r.string("mailfleet.dmarc.reports.address").isEmpty()) {
            throw r.invalid(ENABLED, "true", "false while mailfleet.dmarc.reports.address"
                    + " (MAILFLEET_DMARC_REPORT_ADDRESS), the reports' sender, is unset");
        }
        return new DmarcFailureReportSettings(enabled, max);
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static DmarcFailureReportSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
