package io.mailfleet.server.inbound;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.service.SenderListStore;
import io.mailfleet.protocols.smtp.SmtpServices;
import io.mailfleet.protocols.smtp.check.DataCheck;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.server.config.MilterSettings;
import io.mailfleet.server.config.ScannerSettings;
import io.mailfleet.server.config.UrlDnsblSettings;
import io.mailfleet.server.scan.ClamdScanner;
import io.mailfleet.server.scan.RspamdScanner;
import io.mailfleet.server.scan.ScanCheck;
import io.mailfleet.server.scan.Scanner;
import io.mailfleet.server.scan.ScannerGuard;
import io.mailfleet.server.scan.ScannerMetrics;
import io.mailfleet.server.scan.SenderListGate;
import io.mailfleet.server.scan.SpamThresholds;
import io.mailfleet.server.scan.SpamdScanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds the enabled external scanners to the SMTP services as end-of-data checks, viruses first (a
 * virus is refused whatever its spam score), then the milters in their order, then the recipients'
 * sender lists in front of the built-in scorer, SpamAssassin and Rspamd.
 */
public final class ScannerWiring {

    private static final Logger LOG = LoggerFactory.getLogger(ScannerWiring.class);

    private ScannerWiring() {
    }

    /**
     * {@code smtp} with a check per enabled scanner after its end-of-data checks; their stats in
     * {@code metrics}; the spam scanners behind the recipients' sender lists ({@code senderLists}); the
     * built-in scorer with the URL block lists asked through {@code dns}.
     */
    public static SmtpServices withScanners(SmtpServices smtp, ScannerSettings s, BlobStore blobs,
                                            ScannerMetrics metrics, SenderListStore senderLists,
                                            MilterSettings milters, String hostname,
                                            io.mailfleet.core.spam.classifier.SpamClassifier classifier,
                                            UrlDnsblSettings urlDnsbl, DnsResolver dns) {
        SmtpChecks checks = smtp.checks();
        List<DataCheck> spam = new ArrayList<>();
        ScannerSettings.Guard g = s.guard();
        if (s.clamav().enabled()) {
            ScannerSettings.Clamav c = s.clamav();
            checks = checks.withData(check(new ClamdScanner(blobs, c.address(), c.messageSizeLimit()), c.call(), g,
                    c.scanSubmission(), metrics));
            LOG.info("ClamAV on at {} (messages up to {} octets, {}, fail-{})", c.address(), c.messageSizeLimit(),
                    c.scanSubmission() ? "port 25 and submission" : "port 25", c.call().failOpen() ? "open" : "closed");
        } else {
            LOG.info("ClamAV off (ENABLE_CLAMAV=0)");
        }
        for (MilterSettings.Milter m : milters.milters()) {
            checks = checks.withData(MilterWiring.check(m, blobs, hostname, metrics, s.guard()));
        }
        if (s.builtinScorer()) {
            ScannerSettings.SpamAssassin a = s.spamAssassin();
            spam.add(new io.mailfleet.server.scan.BuiltinScorerCheck(
                    new SpamThresholds(a.tag(), a.tag2(), a.kill(), a.spamToInbox()), classifier,
                    UrlDnsblWiring.rule(urlDnsbl, dns)));
            LOG.info("built-in spam scorer on (SA_TAG={} SA_TAG2={} SA_KILL={} {})", a.tag(), a.tag2(), a.kill(),
                    a.spamToInbox() ? "kill delivers as spam" : "kill refuses");
        }
        if (s.spamAssassin().enabled()) {
            ScannerSettings.SpamAssassin a = s.spamAssassin();
            SpamThresholds t = new SpamThresholds(a.tag(), a.tag2(), a.kill(), a.spamToInbox());
            spam.add(check(new SpamdScanner(blobs, a.address(), a.maxSize(), a.user(),
                    a.checkAuthenticated(), t), a.call(), g, a.checkAuthenticated(), metrics));
            LOG.info("SpamAssassin on at {} (SA_TAG={} SA_TAG2={} SA_KILL={} {}, fail-{})", a.address(), a.tag(),
                    a.tag2(), a.kill(), a.spamToInbox() ? "kill delivers as spam" : "kill refuses",
                    a.call().failOpen() ? "open" : "closed");
        } else {
            LOG.info("SpamAssassin off (ENABLE_SPAMASSASSIN=0)");
        }
        if (s.rspamd().enabled()) {
            ScannerSettings.Rspamd r = s.rspamd();
            spam.add(check(new RspamdScanner(blobs, r.url(), r.password(), r.maxSize(),
                    r.checkAuthenticated(), r.call().timeout()), r.call(), g, r.checkAuthenticated(), metrics));
            LOG.info("Rspamd on at {} (fail-{})", r.url(), r.call().failOpen() ? "open" : "closed");
        } else {
            LOG.info("Rspamd off (ENABLE_RSPAMD=0)");
        }
        ScannerSettings.SpamAssassin a = s.spamAssassin();
        checks = checks.withData(SenderListGate.around(spam, senderLists,
                new SpamThresholds(a.tag(), a.tag2(), a.kill(), a.spamToInbox())));
        return smtp.withChecks(checks);
    }

    private static ScanCheck check(Scanner scanner, ScannerSettings.Call call, ScannerSettings.Guard g,
                                   boolean submissionToo, ScannerMetrics metrics) {
        ScannerGuard guard = new ScannerGuard(scanner.name(), call.timeout(), call.maxConcurrent(),
                call.maxWaiting(), g.breakerFailures(), g.breakerOpenFor());
        metrics.add(guard.stats());
        return ScanCheck.of(scanner, guard, call.failOpen(), submissionToo);
    }
}
