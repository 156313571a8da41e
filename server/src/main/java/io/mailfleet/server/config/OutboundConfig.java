package io.mailfleet.server.config;

import io.mailfleet.cluster.queue.RetrySchedule;
import io.mailfleet.core.dns.DnssecAnchors;
import io.mailfleet.protocols.outbound.TlsPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outbound settings ({@code mailfleet.outbound}, {@code mailfleet.relay}, {@code mailfleet.dkim},
 * {@code mailfleet.srs} apart from {@code enabled}, which is {@link Settings#srsEnabled()}); read with
 * the other settings, so a bad value stops start-up naming its key.
 *
 * @param srsDomain the domain of SRS addresses: {@code mailfleet.srs.domain}, or the mail domain
 * @param dkimDir   {@code mailfleet.dkim.dir}, or {@code <dms-config-dir>/opendkim}, or {@code <data-dir>/dkim}
 * @param tlsLevel  {@code mailfleet.outbound.tls.level}: the TLS level of destinations the policy file does not list
 * @param tlsCaFile {@code mailfleet.outbound.tls.ca-file}: CA certificates (PEM) for verify/secure, or null for the system store
 * @param security  MTA-STS and TLS-RPT ({@code mailfleet.mta-sts}, {@code mailfleet.tls-rpt})
 * @param dnssecAnchors {@code mailfleet.outbound.dane.trust-anchor}: the DNSSEC trust anchors of DANE look-ups
 *                      (the file's, else the built-in IANA root anchors)
 */
public record OutboundConfig(String dnsServer, Duration dnsTimeout, int mxPort, int destinationConcurrency,
                             RetrySchedule retry, Duration delayWarning, Duration smtpTimeout,
                             String defaultRelayHost, String relayHost, int relayPort, String relayUser,
                             String relayPassword, Path dkimDir, String srsSecret,
                             List<String> srsExcludeDomains, String srsDomain, TlsPolicy tlsLevel, Path tlsCaFile,
                             TransportSecurityConfig security, DnssecAnchors dnssecAnchors) {

    public OutboundConfig {
        srsExcludeDomains = List.copyOf(srsExcludeDomains);
    }

    /** Reads the settings; {@code dataDir}, {@code dmsDir} and {@code mailDomain} give the defaults. */
    static OutboundConfig read(ValueReader r, Path dataDir, Optional<Path> dmsDir, String mailDomain, String hostname) {
        Duration first = r.duration("mailfleet.outbound.retry-first");
        Duration max = r.duration("mailfleet.outbound.retry-max");
        if (max.compareTo(first) < 0) {
            throw r.invalid("mailfleet.outbound.retry-max", r.string("mailfleet.outbound.retry-max"),
                    "a duration of at least mailfleet.outbound.retry-first (" + first.toSeconds() + "s)");
        }
        RetrySchedule retry = new RetrySchedule(first, max, r.duration("mailfleet.outbound.queue-lifetime"));
        String dkim = r.string("mailfleet.dkim.dir");
        Path dkimDir = !dkim.isEmpty() ? MailfleetConfig.path(r, "mailfleet.dkim.dir", dkim)
                : dmsDir.map(d -> d.resolve("opendkim")).orElse(dataDir.resolve("dkim"));
        String srsDomain = r.string("mailfleet.srs.domain").toLowerCase(Locale.ROOT);
        if (!srsDomain.isEmpty() && !srsDomain.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
            throw r.invalid("mailfleet.srs.domain", srsDomain, "a domain name such as example.com, or \"\" for the mail domain");
        }
        return new OutboundConfig(r.string("mailfleet.outbound.dns-server"),
                r.duration("mailfleet.outbound.dns-timeout"),
                r.intIn("mailfleet.outbound.mx-port", 1, 65535),
                r.intIn("mailfleet.outbound.destination-concurrency", 1, 10_000),
                retry,
                nonNegative(r, "mailfleet.outbound.delay-warning"),
                nonNegative(r, "mailfleet.outbound.smtp-timeout"),
                r.string("mailfleet.relay.default-relay-host"),
                r.string("mailfleet.relay.host"),
                r.intIn("mailfleet.relay.port", 1, 65535),
                r.string("mailfleet.relay.user"),
                r.untrimmedString("mailfleet.relay.password"),
                dkimDir,
                r.string("mailfleet.srs.secret"),
                r.stringList("mailfleet.srs.exclude-domains"),
                srsDomain.isEmpty() ? mailDomain : srsDomain,
                tlsLevel(r),
                caFile(r),
                TransportSecurityConfig.read(r, hostname),
                trustAnchors(r));
    }

    private static DnssecAnchors trustAnchors(ValueReader r) {
        String key = "mailfleet.outbound.dane.trust-anchor";
        String text = r.string(key);
        if (text.isEmpty()) {
            return DnssecAnchors.root();
        }
        Path p = MailfleetConfig.path(r, key, text);
        try {
            return DnssecAnchors.file(p);
        } catch (IllegalArgumentException e) {
            throw r.invalid(key, text, "a readable file of DS or DNSKEY records in zone-file format (" + e.getMessage()
                    + "), or \"\" for the built-in root anchors");
        }
    }

    private static TlsPolicy tlsLevel(ValueReader r) {
        String key = "mailfleet.outbound.tls.level";
        String text = r.string(key);
        try {
            return TlsPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            throw r.invalid(key, text, "one of none, may, encrypt, dane, dane-only, verify, secure");
        }
    }

    private static Path caFile(ValueReader r) {
        String key = "mailfleet.outbound.tls.ca-file";
        String text = r.string(key);
        if (text.isEmpty()) {
            return null;
        }
        Path p = MailfleetConfig.path(r, key, text);
        if (!java.nio.file.Files.isReadable(p)) {
            throw r.invalid(key, text, "a readable PEM file of CA certificates, or \"\" for the system trust store");
        }
        return p;
    }

    /** A duration where 0 means "off" (a bare number is HOCON's milliseconds, as before). */
    private static Duration nonNegative(ValueReader r, String key) {
        String text = r.string(key);
        try {
            Duration d = r.config().getDuration(key);
            if (!d.isNegative()) {
                return d;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw r.invalid(key, text, "a duration such as 300s or 5d, or 0 for off");
    }
}
