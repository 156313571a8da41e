package io.mailfleet.server.inbound;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.server.config.MilterSettings;
import io.mailfleet.server.config.ScannerSettings;
import io.mailfleet.server.scan.MilterScanner;
import io.mailfleet.server.scan.ScanCheck;
import io.mailfleet.server.scan.ScannerGuard;
import io.mailfleet.server.scan.ScannerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One configured milter as an end-of-data check on every SMTP port, as Postfix's {@code smtpd_milters}. */
final class MilterWiring {

    private static final Logger LOG = LoggerFactory.getLogger(MilterWiring.class);

    private MilterWiring() {
    }

    static ScanCheck check(MilterSettings.Milter m, BlobStore blobs, String hostname, ScannerMetrics metrics,
                           ScannerSettings.Guard g) {
        MilterScanner scanner = new MilterScanner(blobs, m, hostname);
        ScannerGuard guard = new ScannerGuard(scanner.name(), scanner.overallTimeout(), m.maxConcurrent(),
                m.maxWaiting(), g.breakerFailures(), g.breakerOpenFor());
        metrics.add(guard.stats());
        LOG.info("milter {} on (all SMTP ports; connect {} ms, command {} ms, content {} ms; failure: {})", m.spec(),
                m.connectTimeout().toMillis(), m.commandTimeout().toMillis(), m.contentTimeout().toMillis(),
                m.defaultAction() == MilterSettings.DefaultAction.ACCEPT ? "accept" : "451 4.7.1");
        return ScanCheck.of(scanner, guard, m.defaultAction() == MilterSettings.DefaultAction.ACCEPT, true);
    }
}
