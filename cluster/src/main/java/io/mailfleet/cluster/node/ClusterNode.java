package io.mailfleet.cluster.node;

import io.mailfleet.cluster.directory.ClusterDirectoryService;
import io.mailfleet.cluster.mailbox.ClusterMailboxes;
import io.mailfleet.cluster.queue.ClusterMailQueue;
import io.mailfleet.cluster.queue.OutboundPolicy;
import io.mailfleet.cluster.sieve.ClusterSieveScripts;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.directory.ResolverOptions;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Cluster membership of this node and the services it hosts. With no seed nodes configured the
 * node forms a one-node cluster by itself, so the single-node server needs no cluster setup.
 */
public final class ClusterNode {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final java.time.Duration WARMUP_LIMIT = java.time.Duration.ofSeconds(120);

    private final ActorSystem<?> system;
    private final ClusterDirectoryService directory;
    private volatile io.mailfleet.core.service.DirectoryService lookups;
    private final ClusterMailboxes mailboxes;
    private final ClusterMailQueue queue;
    private final ClusterSieveScripts sieveScripts;

    private final CompletionStage<Integer> directoryReady;

    private ClusterNode(ActorSystem<?> system, ClusterDirectoryService directory, ClusterMailboxes mailboxes,
                        ClusterMailQueue queue, ClusterSieveScripts sieveScripts,
                        CompletionStage<Integer> directoryReady) {
        this.system = system;
        this.directoryReady = directoryReady;
        this.directory = directory;
        this.lookups = directory;
        this.mailboxes = mailboxes;
        this.queue = queue;
        this.sieveScripts = sieveScripts;
    }

    /** A node for tests: local delivery only (as {@code localhost}) and {@link NodeOptions#defaults()}. */
    public static ClusterNode start(ActorSystem<?> system, ResolverOptions resolverOptions, BlobStore blobs) {
        return start(system, resolverOptions, blobs, d -> OutboundPolicy.localOnly("localhost"), NodeOptions.defaults());
    }

    /**
     * Joins the cluster (or forms one), starts the entity types and the read caches, and wakes the
     * directory entities found in the journal. The journal schema must exist already.
     *
     * @param outbound the queue's outbound path, built from the node's directory service
     */
    public static ClusterNode start(ActorSystem<?> system, ResolverOptions resolverOptions, BlobStore blobs,
                                    java.util.function.Function<io.mailfleet.core.service.DirectoryService, OutboundPolicy> outbound,
                                    NodeOptions options) {
        return start(system, resolverOptions, blobs, outbound, options, java.util.function.UnaryOperator.identity());
    }

    /**
     * As above; {@code lookups} puts a layer over the node's directory (an external source such as
     * LDAP) that the mail queue's recipient expansion and {@link #lookups()} read through.
     */
    public static ClusterNode start(ActorSystem<?> system, ResolverOptions resolverOptions, BlobStore blobs,
                                    java.util.function.Function<io.mailfleet.core.service.DirectoryService, OutboundPolicy> outbound,
                                    NodeOptions options,
                                    java.util.function.UnaryOperator<io.mailfleet.core.service.DirectoryService> lookups) {
        Cluster cluster = Cluster.get(system);
        List<String> seeds = system.settings().config().getStringList("pekko.cluster.seed-nodes");
        if (options.formedByDiscovery()) {
            // pekko-management cluster bootstrap forms or joins the cluster from discovered pods
            LOG.info("cluster formation by Kubernetes discovery (pekko-management cluster bootstrap)");
        } else if (seeds.isEmpty()) {
            Address self = cluster.selfMember().address();
            LOG.info("no seed nodes configured: forming a one-node cluster at {}", self);
            cluster.manager().tell(Join.create(self));
        } else {
            LOG.info("joining the cluster through seed nodes {}", seeds);
        }
        LeaveAfterRemovalMargin.install(system);
        ClusterDirectoryService directory = ClusterDirectoryService.start(system);
        CompletionStage<Integer> ready = DirectoryWarmup.untilCached(system, directory, WARMUP_LIMIT);
        ready.whenComplete((n, err) -> {
            if (err != null) {
                LOG.error("directory warm-up failed: {}", err.getMessage());
            } else {
                LOG.info("directory warm-up: {} domain(s) loaded", n);
            }
        });
        ClusterMailboxes mailboxes = ClusterMailboxes.start(system);
        ClusterSieveScripts scripts = ClusterSieveScripts.start(system, options.sieveQuota());
        io.mailfleet.core.service.DirectoryService layered = lookups.apply(directory);
        ClusterMailQueue queue = ClusterMailQueue.start(system, layered, resolverOptions, options.queuePartitions(),
                blobs, outbound.apply(directory), options.sieve(), scripts);
        ClusterNode node = new ClusterNode(system, directory, mailboxes, queue, scripts, ready);
        node.lookups = layered;
        return node;
    }

    /** Completes when this node's directory cache holds every domain found in the journal. */
    public CompletionStage<Integer> directoryReady() {
        return directoryReady;
    }

    public ClusterDirectoryService directory() {
        return directory;
    }

    /** The directory the mail paths read: the node's own, or the layer over it given at start. */
    public io.mailfleet.core.service.DirectoryService lookups() {
        return lookups;
    }

    public ClusterMailboxes mailboxes() {
        return mailboxes;
    }

    public ClusterMailQueue queue() {
        return queue;
    }

    /** The Sieve scripts of every account (the one registration of their entity type on this node). */
    public ClusterSieveScripts sieveScripts() {
        return sieveScripts;
    }

    public ActorSystem<?> system() {
        return system;
    }

    /** Leaves the cluster gracefully so shards hand over before this node stops. */
    public void leave() {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Leave.create(cluster.selfMember().address()));
    }
}
