package io.mailfleet.cluster.node;

import io.mailfleet.cluster.queue.SieveSettings;
import io.mailfleet.cluster.sieve.SieveQuota;

/**
 * What a node's services are started with, read once by the server from its validated configuration.
 *
 * @param sieve             how local delivery runs Sieve
 * @param sieveQuota        the per-account script quota; the node owns the script entity type, so the
 *                          quota is set once for delivery and ManageSieve alike
 * @param formedByDiscovery true when pekko-management cluster bootstrap forms or joins the cluster
 *                          (Kubernetes); false: join the seed nodes, or form a one-node cluster without any
 * @param queuePartitions   the number of queue partitions, fixed for the life of the cluster's data
 */
public record NodeOptions(SieveSettings sieve, SieveQuota sieveQuota, boolean formedByDiscovery, int queuePartitions) {

    /** The default number of queue partitions ({@code mailfleet.queue.partitions}). */
    public static final int DEFAULT_QUEUE_PARTITIONS = 64;

    public NodeOptions {
        if (queuePartitions < 1) {
            throw new IllegalArgumentException("queue partitions must be at least 1, got " + queuePartitions);
        }
    }

    /** For tests: Sieve with docker-mailserver's defaults, the default quota, seed nodes, 64 partitions. */
    public static NodeOptions defaults() {
        return new NodeOptions(SieveSettings.dmsDefaults(), SieveQuota.defaults(), false, DEFAULT_QUEUE_PARTITIONS);
    }
}
