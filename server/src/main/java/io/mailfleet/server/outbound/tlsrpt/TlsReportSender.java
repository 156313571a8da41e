package io.mailfleet.server.outbound.tlsrpt;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.core.tlsrpt.TlsReportStore;
import io.mailfleet.core.tlsrpt.TlsRptDay;
import io.mailfleet.core.tlsrpt.TlsRptTxt;
import io.mailfleet.server.config.TransportSecurityConfig;
import io.mailfleet.protocols.outbound.https.HttpsClient;
import io.netty.handler.codec.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
 * Sends the TLS reports: every period it takes the counts of the finished days from the cluster
 * (each count is handed to one node only), looks up each domain's {@code _smtp._tls} record and
 * queues one gzip JSON report per {@code mailto:} address from the configured report address, or
 * POSTs it to each {@code https:} address (RFC 8460 §5.2). Domains without a record get no report.
 */
public final class TlsReportSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.tls-rpt");

    private final TransportSecurityConfig config;
    private final TlsReportStore store;
    private final DnsResolver dns;
    private final MailQueue queue;
    private final BlobStore blobs;
    private final String hostname;
    private final Clock clock;
    private final ScheduledExecutorService worker;
    private final HttpsClient https;

    private TlsReportSender(TransportSecurityConfig config, TlsReportStore store, DnsResolver dns, MailQueue queue,
                            BlobStore blobs, HttpsClient https, String hostname, Clock clock) {
        this.https = https;
        this.config = config;
        this.store = store;
        this.dns = dns;
        this.queue = queue;
        this.blobs = blobs;
        this.hostname = hostname;
        this.clock = clock;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tls-rpt-sender");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the periodic job: hourly for daily reports (sent in the first hour of the next UTC day), else every period. */
    public static TlsReportSender start(TransportSecurityConfig config, TlsReportStore store, DnsResolver dns,
                                        MailQueue queue, BlobStore blobs, HttpsClient https, String hostname) {
        TlsReportSender s = new TlsReportSender(config, store, dns, queue, blobs, https, hostname, Clock.systemUTC());
        long every = Math.min(config.reportPeriod().toMillis(), Duration.ofHours(1).toMillis());
        s.worker.scheduleWithFixedDelay(() -> s.sendDue().whenComplete((n, e) -> {
            if (e != null) {
                LOG.warn("TLS reports not sent this time: {}", e.toString());
            }
        }), every, every, TimeUnit.MILLISECONDS);
        return s;
    }

    private boolean daily() {
        return config.reportPeriod().compareTo(Duration.ofDays(1)) >= 0;
    }

    /** Takes what is due (finished days; with a period below a day, everything so far) and queues the reports. */
    public CompletionStage<Integer> sendDue() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String lastDay = (daily() ? today.minusDays(1) : today).toString();
        return store.take(lastDay).thenCompose(days -> {
            List<CompletableFuture<Integer>> sends = new ArrayList<>();
            for (TlsRptDay d : days) {
                sends.add(send(d).toCompletableFuture());
            }
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .thenApply(v -> sends.stream().mapToInt(CompletableFuture::join).sum());
        });
    }

    private CompletionStage<Integer> send(TlsRptDay day) {
        return dns.txt("_smtp._tls." + day.policyDomain()).thenCompose(txt -> {
            List<String> rua = txt instanceof DnsResult.Found<String> f ? TlsRptTxt.rua(f.values()) : List.of();
            if (rua.isEmpty()) {
                LOG.debug("no TLS report for {} on {}: no _smtp._tls record with rua", day.policyDomain(), day.day());
                return CompletableFuture.completedFuture(0);
            }
            LocalDate date = LocalDate.parse(day.day());
            Instant start = date.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant dayEnd = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
            Instant end = daily() ? dayEnd : min(dayEnd, clock.instant());
            String reportId = day.day() + "." + UUID.randomUUID() + "@" + hostname;
            String json = TlsReportJson.json(day, config.organization(), config.contactInfo(), reportId, start, end);
            byte[] gz = TlsReportJson.gzip(json);
            List<CompletableFuture<Integer>> queued = new ArrayList<>();
            for (String uri : rua) {
                if (uri.regionMatches(true, 0, "https:", 0, 6)) {
                    queued.add(post(day, uri, reportId, gz).toCompletableFuture());
                    continue;
                }
                String to = mailto(uri);
                if (to == null) {
                    LOG.info("TLS report for {} on {} not sent to {}: not a mailto: or https: address",
                            day.policyDomain(), day.day(), uri);
                    continue;
                }
                byte[] message = TlsReportMessage.build(config.reportAddress(), to, config.organization(),
                        day.policyDomain(), reportId, start, end, gz, clock.instant());
                queued.add(CompletableFuture.supplyAsync(() -> store(message), worker)
                        .thenCompose(ref -> queue.enqueue(new Envelope(config.reportAddress(),
                                List.of(EnvelopeRecipient.of(to)), hostname, "127.0.0.1", null, false, null, null,
                                "7BIT", false, clock.instant()), ref))
                        .thenApply(id -> {
                            LOG.info("TLS report for {} on {} queued to <{}>: queue={} report-id={} policies={}",
                                    day.policyDomain(), day.day(), to, id, reportId, day.policies().size());
                            return 1;
                        })
                        .exceptionally(e -> {
                            LOG.warn("TLS report for {} on {} to <{}> not queued: {}", day.policyDomain(), day.day(),
                                    to, e.toString());
                            return 0;
                        }));
            }
            return CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new))
                    .thenApply(v -> queued.stream().mapToInt(CompletableFuture::join).sum());
        });
    }

    /** RFC 8460 §5.2: POST of the gzip JSON; any 2xx is success. */
    private CompletionStage<Integer> post(TlsRptDay day, String uri, String reportId, byte[] gz) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            LOG.info("TLS report for {} on {} not sent to {}: not a valid URI", day.policyDomain(), day.day(), uri);
            return CompletableFuture.completedFuture(0);
        }
        if (u.getHost() == null) {
            LOG.info("TLS report for {} on {} not sent to {}: no host", day.policyDomain(), day.day(), uri);
            return CompletableFuture.completedFuture(0);
        }
        String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        return https.exchange(HttpMethod.POST, u.getHost(), u.getPort() < 0 ? 443 : u.getPort(), path, gz,
                        "application/tlsrpt+gzip", 64 * 1024, Duration.ofSeconds(60))
                .handle((r, e) -> {
                    if (e == null && r.status() / 100 == 2) {
                        LOG.info("TLS report for {} on {} posted to {}: HTTP {} report-id={} policies={}",
                                day.policyDomain(), day.day(), uri, r.status(), reportId, day.policies().size());
                        return 1;
                    }
                    LOG.warn("TLS report for {} on {} not accepted by {}: {}", day.policyDomain(), day.day(), uri,
                            e != null ? (e.getCause() != null ? e.getCause().getMessage() : e.toString())
                                    : "HTTP " + r.status());
                    return 0;
                });
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The address of a {@code mailto:} URI (without {@code ?} parameters), or null for other schemes or bad ones. */
    static String mailto(String uri) {
        if (!uri.regionMatches(true, 0, "mailto:", 0, 7)) {
            return null;
        }
        String a = uri.substring(7);
        int q = a.indexOf('?');
        if (q >= 0) {
            a = a.substring(0, q);
        }
        a = URLDecoder.decode(a, StandardCharsets.UTF_8).strip();
        return a.matches("[^@\\s<>,]+@[^@\\s<>,]+") ? a : null;
    }

    private BlobRef store(byte[] message) {
        try (BlobWriter w = blobs.create()) {
            w.write(message, 0, message.length);
            return w.commit().toCompletableFuture().join();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
