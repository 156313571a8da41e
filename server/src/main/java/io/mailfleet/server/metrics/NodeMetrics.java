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
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
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
 * cluster membership, active bans, blob commits and the JVM. Names follow Prometheus conventions
 * ({@code mailfleet_} prefix, {@code _total} counters, base units).
 */
public final class NodeMetrics {

    private final ActorSystem<?> system;
    private final ClusterMailQueue queue;
    private final DirectoryService directory;
    private final Supplier<List<SessionInfo>> sessions;
    private final BanService bans;
    private final BlobStore blobs;

    public NodeMetrics(ActorSystem<?> system, ClusterMailQueue queue, DirectoryService directory,
                       Supplier<List<SessionInfo>> sessions, BanService bans, BlobStore blobs) {
        this.system = system;
        this.queue = queue;
        this.directory = directory;
        this.sessions = sessions;
        this.bans = bans;
        this.blobs = blobs;
    }

    /** The exposition text; completes once the queue partitions have answered. */
    public CompletionStage<String> render() {
        return queue.inspect().thenCombine(bans.bans(), (entries, active) -> {
            PrometheusText t = new PrometheusText();
            queue(t, entries);
            t.metric("mailfleet_deliveries_total", "counter",
                    "Delivery decisions made by the queue partitions running on this node, by outcome.");
            t.sample("mailfleet_deliveries_total", Map.of("outcome", "delivered"), queue.counters().delivered());
            t.sample("mailfleet_deliveries_total", Map.of("outcome", "deferred"), queue.counters().deferred());
            t.sample("mailfleet_deliveries_total", Map.of("outcome", "bounced"), queue.counters().bounced());
            sessions(t);
            t.metric("mailfleet_directory_entries", "gauge", "Accounts, aliases and domains in the directory.");
            DirectoryView view = directory.view();
            t.sample("mailfleet_directory_entries", Map.of("kind", "accounts"), view.accountCount());
            t.sample("mailfleet_directory_entries", Map.of("kind", "aliases"), view.aliasCount());
            t.sample("mailfleet_directory_entries", Map.of("kind", "domains"), view.localDomains().size());
            cluster(t);
            t.metric("mailfleet_bans", "gauge", "Active bans (fail2ban jails) known to this node.");
            t.sample("mailfleet_bans", active.size());
            blobs(t);
            jvm(t);
            return t.toString();
        });
    }

    private static void queue(PrometheusText t, List<QueueEntry> entries) {
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
        t.metric("mailfleet_queue_messages", "gauge", "Messages in the mail queue of the whole cluster, by state.");
        byState.forEach((state, n) -> t.sample("mailfleet_queue_messages", Map.of("state", state), n));
        t.metric("mailfleet_queue_oldest_message_age_seconds", "gauge", "Age of the oldest queued message (0: none).");
        t.sample("mailfleet_queue_oldest_message_age_seconds", Math.max(0, oldest));
    }

    private void sessions(PrometheusText t) {
        Map<String, Integer> byProtocol = new TreeMap<>(Map.of("imap", 0, "pop3", 0, "managesieve", 0, "smtp", 0));
        for (SessionInfo s : sessions.get()) {
            byProtocol.merge(s.protocol(), 1, Integer::sum);
        }
        t.metric("mailfleet_sessions", "gauge", "Logged-in sessions whose connection this node holds, by protocol.");
        byProtocol.forEach((p, n) -> t.sample("mailfleet_sessions", Map.of("protocol", p), n));
    }

    private void cluster(PrometheusText t) {
        Cluster c = Cluster.get(system);
        Map<String, Integer> byStatus = new TreeMap<>();
        for (Member m : c.state().getMembers()) {
            byStatus.merge(m.status().toString().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
        }
        t.metric("mailfleet_cluster_members", "gauge", "Cluster members as this node sees them, by status.");
        byStatus.forEach((s, n) -> t.sample("mailfleet_cluster_members", Map.of("status", s), n));
        t.metric("mailfleet_cluster_unreachable_members", "gauge", "Members this node's failure detector marks unreachable.");
        t.sample("mailfleet_cluster_unreachable_members", c.state().getUnreachable().size());
    }

    private void blobs(PrometheusText t) {
        if (blobs instanceof FileBlobStore f) {
            CommitStats s = f.commitStats();
            t.metric("mailfleet_blob_commits_total", "counter", "Blobs made durable by this node's group committer.");
            t.sample("mailfleet_blob_commits_total", s.commits());
            t.metric("mailfleet_blob_fsyncs_total", "counter", "File and directory fsyncs of this node's blob store.");
            t.sample("mailfleet_blob_fsyncs_total", Map.of("kind", "file"), s.fileSyncs());
            t.sample("mailfleet_blob_fsyncs_total", Map.of("kind", "directory"), s.directorySyncs());
        }
    }

    private static void jvm(PrometheusText t) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        t.metric("mailfleet_jvm_heap_bytes", "gauge", "Heap of this node's JVM.");
        t.sample("mailfleet_jvm_heap_bytes", Map.of("area", "used"), heap.getUsed());
        t.sample("mailfleet_jvm_heap_bytes", Map.of("area", "max"), heap.getMax());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            t.metric("mailfleet_process_cpu_seconds_total", "counter", "CPU time used by this node's process.");
            t.sample("mailfleet_process_cpu_seconds_total", os.getProcessCpuTime() / 1e9);
        }
        t.metric("mailfleet_uptime_seconds", "gauge", "Time since this node's JVM started.");
        t.sample("mailfleet_uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    }
}
