package io.mailfleet.server.inbound.dmarcrpt;

import io.mailfleet.cluster.dmarcrpt.ClusterDmarcReports;
import io.mailfleet.core.auth.dmarc.PublicSuffixList;
import io.mailfleet.core.auth.dmarc.report.DmarcFailureReporter;
import io.mailfleet.core.auth.dmarc.report.DmarcReportStore;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.core.ratelimit.RateLimiter;
import io.mailfleet.server.config.DmarcFailureReportSettings;
import io.mailfleet.server.config.DmarcReportSettings;
import io.mailfleet.server.config.LoadedConfig;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Starts DMARC reporting: aggregate reports when {@code mailfleet.dmarc.reports.address} is set (the
 * cluster-wide rows and the sender), failure reports when {@code mailfleet.dmarc.failure-reports.enabled}
 * is on too.
 */
public final class DmarcReportWiring implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DmarcReportWiring.class);

    private final DmarcReportStore store;
    private final DmarcReportSender sender;
    private final DmarcFailureReporter failures;

    private DmarcReportWiring(DmarcReportStore store, DmarcReportSender sender, DmarcFailureReporter failures) {
        this.store = store;
        this.sender = sender;
        this.failures = failures;
    }

    /** The store and the periodic sender, or a store that records nothing when reports are off; no failure reports. */
    public static DmarcReportWiring start(ActorSystem<?> system, DmarcReportSettings settings, String hostname,
                                          DnsResolver dns, MailQueue queue, BlobStore blobs) {
        return start(system, settings, new DmarcFailureReportSettings(false, 1), null, hostname, dns, queue, blobs);
    }

    /** Aggregate and failure reports as {@code loaded} configures them; failure reports bounded through {@code limiter}. */
    public static DmarcReportWiring start(ActorSystem<?> system, LoadedConfig loaded, RateLimiter limiter,
                                          String hostname, DnsResolver dns, MailQueue queue, BlobStore blobs) {
        return start(system, DmarcReportSettings.of(loaded), DmarcFailureReportSettings.of(loaded), limiter, hostname,
                dns, queue, blobs);
    }

    private static DmarcReportWiring start(ActorSystem<?> system, DmarcReportSettings settings,
                                           DmarcFailureReportSettings failureSettings, RateLimiter limiter,
                                           String hostname, DnsResolver dns, MailQueue queue, BlobStore blobs) {
        if (!settings.enabled()) {
            LOG.info("DMARC aggregate and failure reports off (MAILFLEET_DMARC_REPORT_ADDRESS / "
                    + "mailfleet.dmarc.reports.address unset)");
            return new DmarcReportWiring(DmarcReportStore.none(), null, DmarcFailureReporter.none());
        }
        DmarcReportStore store = ClusterDmarcReports.start(system);
        DmarcReportSender sender = DmarcReportSender.start(settings, store, dns, PublicSuffixList.bundled(), queue,
                blobs, hostname);
        LOG.info("DMARC aggregate reports on: from {}, period {}", settings.address(), settings.period());
        DmarcFailureReporter failures = DmarcFailureReporter.none();
        if (failureSettings.enabled() && limiter != null) {
            failures = new DmarcFailureReportSender(settings.address(), failureSettings.maxPerHour(), dns,
                    PublicSuffixList.bundled(), limiter, queue, blobs, hostname);
            LOG.info("DMARC failure reports on: from {}, at most {} per policy domain and hour", settings.address(),
                    failureSettings.maxPerHour());
        } else {
            LOG.info("DMARC failure reports off (MAILFLEET_DMARC_FAILURE_REPORTS / mailfleet.dmarc.failure-reports)");
        }
        return new DmarcReportWiring(store, sender, failures);
    }

    /** Where the end-of-data check records evaluations. */
    public DmarcReportStore store() {
        return store;
    }

    /** Where the end-of-data check hands messages that may owe a failure report. */
    public DmarcFailureReporter failures() {
        return failures;
    }

    /** The sender, when reports are on (tests trigger it). */
    public Optional<DmarcReportSender> sender() {
        return Optional.ofNullable(sender);
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
        if (failures instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("DMARC failure reports did not close cleanly: {}", e.toString());
            }
        }
    }
}
