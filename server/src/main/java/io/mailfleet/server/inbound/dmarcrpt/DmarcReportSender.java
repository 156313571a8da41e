package io.mailfleet.server.inbound.dmarcrpt;

import io.mailfleet.core.auth.dmarc.DmarcRecord;
import io.mailfleet.core.auth.dmarc.PublicSuffixList;
import io.mailfleet.core.auth.dmarc.report.DmarcReportDay;
import io.mailfleet.core.auth.dmarc.report.DmarcReportStore;
import io.mailfleet.core.auth.dmarc.report.DmarcRua;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.server.config.DmarcReportSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends the DMARC aggregate reports as the TLS reports are sent: every period it takes the rows of the
 * finished days from the cluster (each row is handed to one node only), reads each domain's
 * {@code _dmarc} record again for its {@code rua=} and published policy, and queues one gzip XML report
 * per {@code mailto:} address from the configured address. An address outside the policy domain's
 * organizational domain gets reports only when {@code <policy-domain>._report._dmarc.<its domain>}
 * says {@code v=DMARC1} (RFC 7489 section 7.1); a report bigger than the address's {@code !size} is
 * not sent to it.
 */
public final class DmarcReportSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.dmarc-reports");

    private final DmarcReportSettings settings;
    private final DmarcReportStore store;
    private final DnsResolver dns;
    private final String hostname;
    private final Clock clock;
    private final ScheduledExecutorService worker;
    private final ReportQueue reports;
    private final ReportDestinations destinations;

    private DmarcReportSender(DmarcReportSettings settings, DmarcReportStore store, DnsResolver dns,
                              PublicSuffixList psl, MailQueue queue, BlobStore blobs, String hostname, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.dns = dns;
        this.hostname = hostname;
        this.clock = clock;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dmarc-report-sender");
            t.setDaemon(true);
            return t;
        });
        this.reports = new ReportQueue(settings.address(), queue, blobs, hostname, clock, worker);
        this.destinations = new ReportDestinations(dns, psl);
    }

    /** Starts the periodic job: hourly for daily reports (sent in the first hour of the next UTC day), else every period. */
    public static DmarcReportSender start(DmarcReportSettings settings, DmarcReportStore store, DnsResolver dns,
                                          PublicSuffixList psl, MailQueue queue, BlobStore blobs, String hostname) {
        DmarcReportSender s = new DmarcReportSender(settings, store, dns, psl, queue, blobs, hostname,
                Clock.systemUTC());
        long every = Math.min(settings.period().toMillis(), Duration.ofHours(1).toMillis());
        s.worker.scheduleWithFixedDelay(() -> s.sendDue().whenComplete((n, e) -> {
            if (e != null) {
                LOG.warn("DMARC reports not sent this time: {}", e.toString());
            }
        }), every, every, TimeUnit.MILLISECONDS);
        return s;
    }

    private boolean daily() {
        return settings.period().compareTo(Duration.ofDays(1)) >= 0;
    }

    /** Takes what is due (finished days; with a period below a day, everything so far) and queues the reports. */
    public CompletionStage<Integer> sendDue() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String lastDay = (daily() ? today.minusDays(1) : today).toString();
        return store.take(lastDay).thenCompose(days -> {
            List<CompletableFuture<Integer>> sends = new ArrayList<>();
            for (DmarcReportDay d : days) {
                sends.add(send(d).toCompletableFuture());
            }
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .thenApply(v -> sends.stream().mapToInt(CompletableFuture::join).sum());
        });
    }

    private CompletionStage<Integer> send(DmarcReportDay day) {
        String domain = day.policyDomain();
        return dns.txt("_dmarc." + domain).thenCompose(txt -> {
            List<String> records = txt.valuesOrEmpty().stream()
                    .filter(t -> DmarcRecord.parse(t).isPresent()).toList();
            if (records.size() != 1) {
                LOG.info("no DMARC report for {} on {}: {} DMARC records now", domain, day.day(), records.size());
                return CompletableFuture.completedFuture(0);
            }
            String raw = records.get(0);
            List<DmarcRua> rua = DmarcRua.parse(raw);
            if (rua.isEmpty()) {
                LOG.debug("no DMARC report for {} on {}: no mailto: rua", domain, day.day());
                return CompletableFuture.completedFuture(0);
            }
            LocalDate date = LocalDate.parse(day.day());
            Instant begin = date.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant dayEnd = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
            Instant end = daily() ? dayEnd : min(dayEnd, clock.instant());
            String reportId = day.day() + "." + UUID.randomUUID() + "@" + hostname;
            String xml = DmarcReportXml.xml(day, DmarcRecord.parse(raw).orElseThrow(), tag(raw, "fo", "0"), hostname,
                    settings.address(), reportId, begin, end);
            byte[] gz = DmarcReportXml.gzip(xml);
            List<CompletableFuture<Integer>> queued = new ArrayList<>();
            for (DmarcRua to : rua) {
                queued.add(authorized(domain, to).thenCompose(ok -> {
                    if (!ok) {
                        return CompletableFuture.completedFuture(0);
                    }
                    byte[] message = DmarcReportMessage.build(settings.address(), to.address(), hostname, domain,
                            reportId, begin, end, gz, clock.instant());
                    if (message.length > to.maxBytes()) {
                        LOG.info("DMARC report for {} on {} not sent to <{}>: {} bytes, the address takes {} at most",
                                domain, day.day(), to.address(), message.length, to.maxBytes());
                        return CompletableFuture.completedFuture(0);
                    }
                    return enqueue(day, to.address(), reportId, message);
                }).toCompletableFuture());
            }
            return CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new))
                    .thenApply(v -> queued.stream().mapToInt(CompletableFuture::join).sum());
        });
    }

    private CompletionStage<Integer> enqueue(DmarcReportDay day, String to, String reportId, byte[] message) {
        return reports.enqueue(to, message, false)
                .thenApply(id -> {
                    LOG.info("DMARC report for {} on {} queued to <{}>: queue={} report-id={} rows={} messages={}",
                            day.policyDomain(), day.day(), to, id, reportId, day.rows().size(), day.messages());
                    return 1;
                })
                .exceptionally(e -> {
                    LOG.warn("DMARC report for {} on {} to <{}> not queued: {}", day.policyDomain(), day.day(), to,
                            e.toString());
                    return 0;
                });
    }

    /** RFC 7489 section 7.1, as {@link ReportDestinations} checks it. */
    CompletionStage<Boolean> authorized(String policyDomain, DmarcRua to) {
        return destinations.authorized(policyDomain, to, "report");
    }

    /** The value of a record's tag, or {@code absent}. */
    static String tag(String record, String name, String absent) {
        for (String field : record.split(";")) {
            int eq = field.indexOf('=');
            if (eq > 0 && field.substring(0, eq).strip().equalsIgnoreCase(name)) {
                return field.substring(eq + 1).strip();
            }
        }
        return absent;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
