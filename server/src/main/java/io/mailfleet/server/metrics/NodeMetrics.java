package io.mailfleet.server.metrics;

import io.mailfleet.cluster.queue.ClusterMailQueue;
import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.core.service.SessionInfo;
import io.mailfleet.server.api.QueueState;
import io.mailfleet.persistence.blob.CommitStats;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What one node reports to Prometheus: the queue (cluster-wide, as the queue commands see it), the
 * delivery decisions of the partitions running on this node, this node's sessions, the directory,
 * cluster membership, active bans, the SMTP defences' refusals, blob commits and the JVM. Names follow Prometheus conventions
 * ({@code mailfleet_} prefix, {@code _total} counters, base units). Each scrape is a set of the
 * Prometheus Java client's snapshots, written in the text format by its writer.
 */
public final class NodeMetrics {

    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    private final ActorSystem<?> system;
    private final ClusterMailQueue queue;
    private final DirectoryService directory;
    private final Supplier<List<SessionInfo>> sessions;
    private final BanService bans;
    private final BlobStore blobs;
    private final Supplier<List<MetricSnapshot>> more;
    private final Supplier<java.util.Optional<java.security.cert.X509Certificate>> certificate;

    public NodeMetrics(ActorSystem<?> system, ClusterMailQueue queue, DirectoryService directory,
                       Supplier<List<SessionInfo>> sessions, BanService bans, BlobStore blobs) {
        this(system, queue, directory, sessions, bans, blobs, List::of);
    }

    /** @param more further families of this node (the content scanners'), added to every scrape */
    public NodeMetrics(ActorSystem<?> system, ClusterMailQueue queue, DirectoryService directory,
                       Supplier<List<SessionInfo>> sessions, BanService bans, BlobStore blobs,
                       Supplier<List<MetricSnapshot>> more) {
        this(system, queue, directory, sessions, bans, blobs, more, java.util.Optional::empty);
    }

    private NodeMetrics(ActorSystem<?> system, ClusterMailQueue queue, DirectoryService directory,
                        Supplier<List<SessionInfo>> sessions, BanService bans, BlobStore blobs,
                        Supplier<List<MetricSnapshot>> more,
                        Supplier<java.util.Optional<java.security.cert.X509Certificate>> certificate) {
        this.more = more;
        this.system = system;
        this.queue = queue;
        this.directory = directory;
        this.sessions = sessions;
        this.bans = bans;
        this.blobs = blobs;
        this.certificate = certificate;
    }

    /** These metrics with the expiry of the certificate the mail listeners present (read at each scrape). */
    public NodeMetrics withCertificate(Supplier<java.util.Optional<java.security.cert.X509Certificate>> current) {
        return new NodeMetrics(system, queue, directory, sessions, bans, blobs, more, current);
    }

    /** The exposition text; completes once the queue partitions have answered. */
    public CompletionStage<String> render() {
        return snapshots().thenApply(NodeMetrics::text);
    }

    /** This node's metrics; complete once the queue partitions and the ban list have answered. */
    public CompletionStage<MetricSnapshots> snapshots() {
        return queue.inspect().thenCombine(bans.bans(), (entries, active) -> {
            MetricSnapshots.Builder all = MetricSnapshots.builder();
            queue(all, entries);
            Map<String, Long> auth = io.mailfleet.server.inbound.AuthenticationCounters.get(system).snapshot();
            if (!auth.isEmpty()) {
                all.metricSnapshot(counter("mailfleet_authentication_results_total",
                        "Inbound authentication results on this node, by mechanism=result (dkim per signature).",
                        "result", auth));
            }
            all.metricSnapshot(counter("mailfleet_deliveries_total",
                    "Delivery decisions made by the queue partitions running on this node, by outcome.", "outcome",
                    Map.of("delivered", queue.counters().delivered(), "deferred", queue.counters().deferred(),
                            "bounced", queue.counters().bounced())));
            sessions(all);
            DirectoryView view = directory.view();
            all.metricSnapshot(gauge("mailfleet_directory_entries", "Accounts, aliases and domains in the directory.", "kind",
                    Map.of("accounts", view.accountCount(), "aliases", view.aliasCount(),
                            "domains", view.localDomains().size())));
            cluster(all);
            all.metricSnapshot(gauge("mailfleet_bans", "Active bans (fail2ban jails) known to this node.", active.size()));
            all.metricSnapshot(counter("mailfleet_smtp_refusals_total",
                    "SMTP clients this node's connection-level defences refused, by reason.", "reason",
                    SmtpRefusals.get(system).counts()));
            blobs(all);
            more.get().forEach(all::metricSnapshot);
            jvm(all);
            // after a reload the new certificate shows at the next scrape
            certificate.get().ifPresent(c -> all.metricSnapshot(gauge("mailfleet_tls_certificate_expiry_timestamp_seconds",
                    "When the certificate of this node's mail listeners expires (Unix time).",
                    c.getNotAfter().getTime() / 1000.0)));
            return all.build();
        });
    }

    /** {@code snapshots} in the Prometheus text format (version 0.0.4). */
    static String text(MetricSnapshots snapshots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            TEXT.write(out, snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void queue(MetricSnapshots.Builder all, List<QueueEntry> entries) {
        Map<String, Integer> byState = new TreeMap<>();
        for (QueueState s : QueueState.values()) {
            byState.put(s.name().toLowerCase(java.util.Locale.ROOT), 0);
        }
        Instant now = Instant.now();
        long oldest = 0;
        for (QueueEntry e : entries) {
            byState.merge(QueueState.of(e).name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            oldest = Math.max(oldest, Duration.between(e.message().envelope().receivedAt(), now).toSeconds());
        }
        all.metricSnapshot(gauge("mailfleet_queue_messages", "Messages in the mail queue of the whole cluster, by state.",
                "state", byState));
        all.metricSnapshot(gauge("mailfleet_queue_oldest_message_age_seconds", "Age of the oldest queued message (0: none).",
                Math.max(0, oldest)));
    }

    private void sessions(MetricSnapshots.Builder all) {
        Map<String, Integer> byProtocol = new TreeMap<>(Map.of("imap", 0, "pop3", 0, "managesieve", 0, "smtp", 0));
        for (SessionInfo s : sessions.get()) {
            byProtocol.merge(s.protocol(), 1, Integer::sum);
        }
        all.metricSnapshot(gauge("mailfleet_sessions", "Logged-in sessions whose connection this node holds, by protocol.",
                "protocol", byProtocol));
    }

    private void cluster(MetricSnapshots.Builder all) {
        Cluster c = Cluster.get(system);
        Map<String, Integer> byStatus = new TreeMap<>();
        for (Member m : c.state().getMembers()) {
            byStatus.merge(m.status().toString().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
        }
        all.metricSnapshot(gauge("mailfleet_cluster_members", "Cluster members as this node sees them, by status.",
                "status", byStatus));
        all.metricSnapshot(gauge("mailfleet_cluster_unreachable_members",
                "Members this node's failure detector marks unreachable.", c.state().getUnreachable().size()));
    }

    private void blobs(MetricSnapshots.Builder all) {
        if (blobs instanceof FileBlobStore f) {
            CommitStats s = f.commitStats();
            all.metricSnapshot(counter("mailfleet_blob_commits_total", "Blobs made durable by this node's group committer.",
                    s.commits()));
            all.metricSnapshot(counter("mailfleet_blob_fsyncs_total", "File and directory fsyncs of this node's blob store.",
                    "kind", Map.of("file", s.fileSyncs(), "directory", s.directorySyncs())));
        }
    }

    private static void jvm(MetricSnapshots.Builder all) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        all.metricSnapshot(gauge("mailfleet_jvm_heap_bytes", "Heap of this node's JVM.", "area",
                Map.of("used", heap.getUsed(), "max", heap.getMax())));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            all.metricSnapshot(counter("mailfleet_process_cpu_seconds_total", "CPU time used by this node's process.",
                    os.getProcessCpuTime() / 1e9));
        }
        all.metricSnapshot(gauge("mailfleet_uptime_seconds", "Time since this node's JVM started.",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0));
    }

    /** A gauge without labels. */
    private static MetricSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    /** A gauge with one sample per value of {@code label}. */
    private static MetricSnapshot gauge(String name, String help, String label, Map<String, ? extends Number> values) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        values.forEach((v, n) -> b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of(label, v))
                .value(n.doubleValue()).build()));
        return b.build();
    }

    /** A counter without labels; {@code name} ends in {@code _total}, which the client adds back when it writes. */
    private static MetricSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(counterName(name)).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    /** A counter with one sample per value of {@code label}. */
    private static MetricSnapshot counter(String name, String help, String label, Map<String, ? extends Number> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(counterName(name)).help(help);
        values.forEach((v, n) -> b.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of(label, v))
                .value(n.doubleValue()).build()));
        return b.build();
    }

    private static String counterName(String exposed) {
        return exposed.substring(0, exposed.length() - "_total".length());
    }
}
