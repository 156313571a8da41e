package io.mailfleet.cluster.report;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A report store's sharded buckets: policy domains spread over {@link #BUCKETS} entities (one owner
 * each, so counts are exact cluster-wide), a record sent to its domain's bucket, and the daily take
 * asking every bucket.
 *
 * @param <C> the bucket entity's command type
 */
public final class ReportBuckets<C> {

    /** Buckets of domains: spread over the nodes, few enough to ask every one for the daily report. */
    public static final int BUCKETS = 16;
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterSharding sharding;
    private final EntityTypeKey<C> type;

    private ReportBuckets(ClusterSharding sharding, EntityTypeKey<C> type) {
        this.sharding = sharding;
        this.type = type;
    }

    /** Registers the entity type on this node; the buckets are never passivated (their tallies live in memory). */
    public static <C> ReportBuckets<C> start(ActorSystem<?> system, EntityTypeKey<C> type, Supplier<Behavior<C>> bucket) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(type, ctx -> bucket.get())
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
        return new ReportBuckets<>(sharding, type);
    }

    /** The bucket (entity id) of a policy domain. */
    public static String bucket(String domain) {
        return Integer.toString(Math.floorMod(domain.hashCode(), BUCKETS));
    }

    /** Sends {@code command} to the bucket of {@code domain}. */
    public void tell(String domain, C command) {
        sharding.entityRefFor(type, bucket(domain)).tell(command);
    }

    /** Asks every bucket with {@code take} and joins what each answers, in bucket order. */
    public <R, D> CompletionStage<List<D>> askAll(Function<ActorRef<R>, C> take, Function<R, List<D>> days) {
        List<CompletableFuture<R>> asks = new ArrayList<>();
        for (int i = 0; i < BUCKETS; i++) {
            asks.add(sharding.entityRefFor(type, Integer.toString(i)).ask(take::apply, ASK_TIMEOUT).toCompletableFuture());
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<D> all = new ArrayList<>();
            asks.forEach(a -> all.addAll(days.apply(a.join())));
            return all;
        });
    }
}
