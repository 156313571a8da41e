package io.mailfleet.server.inbound.dmarcrpt;

import io.mailfleet.core.auth.dmarc.DmarcRecord;
import io.mailfleet.core.auth.dmarc.PublicSuffixList;
import io.mailfleet.core.auth.dmarc.report.DmarcFailure;
import io.mailfleet.core.auth.dmarc.report.DmarcFailureOptions;
import io.mailfleet.core.auth.dmarc.report.DmarcFailureReporter;
import io.mailfleet.core.auth.dmarc.report.DmarcRua;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.core.ratelimit.RateLimit;
import io.mailfleet.core.ratelimit.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sends DMARC failure reports (RFC 7489 section 7.3): for a message the end-of-data check hands over, it
 * reads the policy domain's {@code _dmarc} record (from the resolver's cache: the check has just asked),
 * and when its {@code fo=} asks for this failure, its {@code rf=} allows AFRF and it has {@code ruf=}
 * addresses, queues the report to each of the first five that passes the external-destination check of
 * section 7.1 and whose {@code !size} it fits, each mail counted against the domain's hourly bound in the
 * cluster-wide rate limiter ({@code dmarc-failure-reports}, key {@code dmarc-ruf:<policy domain>}).
 */
public final class DmarcFailureReportSender implements DmarcFailureReporter, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.dmarc-reports");

    /** ruf= addresses used at most (RFC 7489 section 6.2 lets a receiver limit them; it must take two). */
    static final int MAX_DESTINATIONS = 5;

    /** The name of the hourly bound in the rate limiter's listing ({@code ./mailfleet rate-limits}). */
    public static final String LIMIT_NAME = "dmarc-failure-reports";

    private final String from;
    private final DnsResolver dns;
    private final RateLimiter limiter;
    private final RateLimit limit;
    private final String hostname;
    private final Clock clock;
    private final ExecutorService worker;
    private final ReportQueue reports;
    private final ReportDestinations destinations;

    /**
     * @param from       the report address (MAIL FROM and From of the reports)
     * @param maxPerHour report mails per policy domain and hour, cluster-wide
     */
    public DmarcFailureReportSender(String from, int maxPerHour, DnsResolver dns, PublicSuffixList psl,
                                    RateLimiter limiter, MailQueue queue, BlobStore blobs, String hostname) {
        this.from = from;
        this.dns = dns;
        this.limiter = limiter;
        this.limit = new RateLimit(LIMIT_NAME, Duration.ofHours(1), maxPerHour);
        this.hostname = hostname;
        this.clock = Clock.systemUTC();
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dmarc-failure-reports");
            t.setDaemon(true);
            return t;
        });
        this.reports = new ReportQueue(from, queue, blobs, hostname, clock, worker);
        this.destinations = new ReportDestinations(dns, psl);
    }

    /** The rate-limiter key of a policy domain's reports. */
    public static String key(String policyDomain) {
        return "dmarc-ruf:" + policyDomain;
    }

    @Override
    public void report(DmarcFailure failure) {
        try {
            consider(failure).whenComplete((n, e) -> {
                if (e != null) {
                    LOG.warn("DMARC failure report for {} not sent: {}", failure.results().dmarc().policyDomain(),
                            e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("DMARC failure report for {} not sent: {}", failure.results().dmarc().policyDomain(), e.toString());
        }
    }

    /** What {@link #report} does; completes with the number of reports queued. */
    CompletionStage<Integer> consider(DmarcFailure f) {
        String domain = f.results().dmarc().policyDomain();
        if (domain == null) {
            return done(0);
        }
        return dns.txt("_dmarc." + domain).thenCompose(txt -> {
            List<String> records = txt.valuesOrEmpty().stream().filter(t -> DmarcRecord.parse(t).isPresent()).toList();
            if (records.size() != 1) {
                return done(0);
            }
            DmarcFailureOptions o = DmarcFailureOptions.parse(records.get(0));
            if (o.ruf().isEmpty() || !o.afrf() || !o.wants(f.results())) {
                LOG.debug("no DMARC failure report for {}: ruf={} afrf={} fo={}", domain, o.ruf().size(), o.afrf(),
                        o.options());
                return done(0);
            }
            List<CompletableFuture<Integer>> sends = o.ruf().stream().limit(MAX_DESTINATIONS)
                    .map(to -> send(domain, to, f).toCompletableFuture()).toList();
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .thenApply(v -> sends.stream().mapToInt(CompletableFuture::join).sum());
        });
    }

    private CompletionStage<Integer> send(String domain, DmarcRua to, DmarcFailure f) {
        return destinations.authorized(domain, to, "failure report").thenCompose(ok -> {
            if (!ok) {
                return done(0);
            }
            byte[] message = DmarcFailureReportMessage.build(from, to.address(), hostname, f, clock.instant());
            if (message.length > to.maxBytes()) {
                LOG.info("DMARC failure report for {} not sent to <{}>: {} bytes, the address takes {} at most",
                        domain, to.address(), message.length, to.maxBytes());
                return done(0);
            }
            // every report mail counts, so a record listing several addresses does not multiply the bound
            return limiter.tryAcquire(limit, key(domain)).thenCompose(allowed -> {
                if (!allowed) {
                    LOG.info("DMARC failure report for {} not sent to <{}>: {} reports this hour already"
                            + " (max-per-hour)", domain, to.address(), limit.max());
                    return done(0);
                }
                return reports.enqueue(to.address(), message, DmarcFailureReportMessage.eightBit(f)).thenApply(id -> {
                    LOG.info("DMARC failure report for {} queued to <{}>: queue={} header.from={} source-ip={}"
                                    + " dmarc={}", domain, to.address(), id, f.results().dmarc().fromDomain(),
                            f.sourceIp(), f.results().dmarc().status().keyword());
                    return 1;
                });
            });
        });
    }

    private static CompletionStage<Integer> done(int n) {
        return CompletableFuture.completedFuture(n);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
