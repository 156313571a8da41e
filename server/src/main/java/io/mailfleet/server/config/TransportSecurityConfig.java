package io.mailfleet.server.config;

import io.mailfleet.core.mtasts.MtaStsPolicy;

import java.time.Duration;
import java.util.Locale;

/**
 * Outbound MTA-STS ({@code mailfleet.mta-sts}) and TLS reporting ({@code mailfleet.tls-rpt}).
 *
 * @param mtaSts         MTA-STS is applied to direct MX delivery
 * @param fetchTimeout   bound on one policy fetch (DNS, connect, TLS, HTTP)
 * @param maxAgeCap      longest policy max_age honoured (at most RFC 8461's 31557600 seconds)
 * @param httpsPort      port of the policy host (443; only tests change it)
 * @param reportAddress  the From of TLS reports; "" = TLS-RPT off (nothing recorded, nothing sent)
 * @param organization   {@code organization-name} of the reports
 * @param contactInfo    {@code contact-info} of the reports
 * @param reportPeriod   1 day: daily reports of complete UTC days; shorter (tests): reports of what was counted so far
 */
public record TransportSecurityConfig(boolean mtaSts, Duration fetchTimeout, Duration maxAgeCap, int httpsPort,
                                      String reportAddress, String organization, String contactInfo,
                                      Duration reportPeriod) {

    /** True when TLS-RPT counts and sends reports. */
    public boolean tlsRpt() {
        return !reportAddress.isEmpty();
    }

    static TransportSecurityConfig read(ValueReader r, String hostname) {
        Duration cap = r.durationIn("mailfleet.mta-sts.max-age-cap", Duration.ofMinutes(1),
                Duration.ofSeconds(MtaStsPolicy.MAX_AGE_LIMIT), "a duration from 1m to 31557600s (RFC 8461's limit)");
        String address = r.string("mailfleet.tls-rpt.report-address").toLowerCase(Locale.ROOT);
        if (!address.isEmpty() && !address.matches("[^@\\s<>]+@[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
            throw r.invalid("mailfleet.tls-rpt.report-address", address,
                    "an e-mail address such as tlsrpt@example.com, or \"\" for TLS-RPT off");
        }
        String org = r.string("mailfleet.tls-rpt.organization");
        String contact = r.string("mailfleet.tls-rpt.contact-info");
        return new TransportSecurityConfig(r.bool("mailfleet.mta-sts.enabled"),
                r.durationIn("mailfleet.mta-sts.fetch-timeout", Duration.ofSeconds(1), Duration.ofMinutes(5),
                        "a duration from 1s to 5m"),
                cap,
                r.intIn("mailfleet.mta-sts.https-port", 1, 65535),
                address,
                org.isEmpty() ? hostname : org,
                contact.isEmpty() ? address : contact,
                r.durationIn("mailfleet.tls-rpt.period", Duration.ofSeconds(1), Duration.ofDays(1),
                        "a duration from 1s to 1d (1d = daily reports)"));
    }
}
