package io.mailfleet.server;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the cluster's shards live: for every entity type this node runs, which node hosts how many
 * shards and entities, asked of Cluster Sharding ({@code GetClusterShardingStats}) without blocking;
 * a region that does not answer within the time-out is counted as failed, not waited for.
 */
public final class ShardPlacementSource {

    private final ActorSystem<?> system;
    private final Duration timeout;

    public ShardPlacementSource(ActorSystem<?> system, Duration timeout) {
        this.system = system;
        this.timeout = timeout;
    }

    /** One node's share of one entity type: shards, the entities in them, and shards that did not answer. */
    public record NodeShards(int shards, int entities, int failedShards) {
    }

    /** One entity type with its nodes by address (sorted). */
    public record TypePlacement(String entityType, Map<String, NodeShards> nodes) {
        public TypePlacement {
            nodes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
        }
    }

    /** Every entity type started on this node, sorted by name. */
    public CompletionStage<List<TypePlacement>> placement() {
        List<String> types = new ArrayList<>(org.apache.pekko.cluster.sharding.ClusterSharding
                .get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system)).getShardTypeNames());
        types.sort(String::compareTo);
        List<CompletableFuture<TypePlacement>> asks = new ArrayList<>();
        for (String type : types) {
            EntityTypeKey<Object> key = EntityTypeKey.create(Object.class, type);
            // the regions get `timeout` to answer; the ask waits a little longer for the collected reply
            CompletionStage<ShardRegion.ClusterShardingStats> reply = AskPattern.ask(
                    ClusterSharding.get(system).shardState(),
                    replyTo -> new GetClusterShardingStats(key, timeout, replyTo),
                    timeout.plusSeconds(2), system.scheduler());
            asks.add(reply.thenApply(stats -> of(type, stats)).toCompletableFuture());
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
                .thenApply(x -> asks.stream().map(CompletableFuture::join).toList());
    }

    private TypePlacement of(String type, ShardRegion.ClusterShardingStats stats) {
        org.apache.pekko.actor.Address self = org.apache.pekko.cluster.typed.Cluster.get(system).selfMember().address();
        Map<String, NodeShards> nodes = new TreeMap<>();
        stats.getRegions().forEach((regionAddress, region) -> {
            // this node's own region may be reported under its local address (no host): name the node
            String address = regionAddress.hasGlobalScope() ? regionAddress.toString() : self.toString();
            int entities = region.getStats().values().stream().mapToInt(n -> ((Number) n).intValue()).sum();
            nodes.put(address, new NodeShards(region.getStats().size(), entities, region.getFailed().size()));
        });
        return new TypePlacement(type, nodes);
    }
}
