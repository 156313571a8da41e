package io.mailfleet.server.inbound.dmarcrpt;

import io.mailfleet.cluster.dmarcrpt.ClusterDmarcReports;
import io.mailfleet.core.auth.dmarc.PublicSuffixList;
import io.mailfleet.core.auth.dmarc.report.DmarcReportStore;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.server.config.DmarcReportSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** Starts DMARC aggregate reporting when {@code mailfleet.dmarc.reports.address} is set: the cluster-wide rows and the sender. */
public final class DmarcReportWiring implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DmarcReportWiring.class);

    private final DmarcReportStore store;
    private final DmarcReportSender sender;

    private DmarcReportWiring(DmarcReportStore store, DmarcReportSender sender) {
        this.store = store;
        this.sender = sender;
    }

    /** The store and the periodic sender, or a store that records nothing when reports are off. */
    public static DmarcReportWiring start(ActorSystem<?> system, DmarcReportSettings settings, String hostname,
                                          DnsResolver dns, MailQueue queue, BlobStore blobs) {
        if (!settings.enabled()) {
            LOG.info("DMARC aggregate reports off (MAILFLEET_DMARC_REPORT_ADDRESS / mailfleet.dmarc.reports.address unset)");
            return new DmarcReportWiring(DmarcReportStore.none(), null);
        }
        DmarcReportStore store = ClusterDmarcReports.start(system);
        DmarcReportSender sender = DmarcReportSender.start(settings, store, dns, PublicSuffixList.bundled(), queue,
                blobs, hostname);
        LOG.info("DMARC aggregate reports on: from {}, period {}", settings.address(), settings.period());
        return new DmarcReportWiring(store, sender);
    }

    /** Where the end-of-data check records evaluations. */
    public DmarcReportStore store() {
        return store;
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
    }
}
