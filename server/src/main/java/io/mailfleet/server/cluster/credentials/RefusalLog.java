package io.mailfleet.server.cluster.credentials;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Reports refused inbound cluster connections: the first at once, then at most one line per
 * interval with the count since the last line, so a peer retrying every few seconds (or an attacker
 * hammering the port) cannot fill the disk.
 */
final class RefusalLog {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);

    private final long intervalNanos;
    private final String caName;
    private long lastReport;
    private long suppressed;
    private boolean any;

    RefusalLog(Duration interval, String caName) {
        this.intervalNanos = interval.toNanos();
        this.caName = caName;
    }

    /** Called from the stream threads of inbound connections. */
    synchronized void refused(Exception cause) {
        long now = System.nanoTime();
        if (any && now - lastReport < intervalNanos) {
            suppressed++;
            return;
        }
        String more = suppressed == 0 ? "" : " (and " + suppressed + " more refused since the last report)";
        LOG.warn("refused an inbound cluster connection: TLS handshake failed: {}; only nodes holding a certificate "
                + "from this cluster's CA ({}) may connect (docs/cluster.md, \"Refused nodes\"){}",
                cause.getMessage(), caName, more);
        any = true;
        lastReport = now;
        suppressed = 0;
    }
}
