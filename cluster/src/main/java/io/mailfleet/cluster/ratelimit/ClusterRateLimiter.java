package io.mailfleet.cluster.ratelimit;

import io.mailfleet.core.ratelimit.RateLimit;
import io.mailfleet.core.ratelimit.RateLimiter;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link RateLimiter} on the sharded {@link RateCounterEntity}: a key's counts live in one bucket on one node. */
public final class ClusterRateLimiter implements RateLimiter {

    /** Buckets of keys: enough to spread the load over the nodes, few enough to ask all for a listing. */
    static final int BUCKETS = 32;
    /** A check waits this long at most; then the caller lets the event through. */
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

    private final ClusterSharding sharding;

    private ClusterRateLimiter(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    /** Registers the entity type on this node. */
    public static ClusterRateLimiter start(ActorSystem<?> system) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(RateCounterEntity.TYPE_KEY, ctx -> RateCounterEntity.create(Clock.systemUTC())));
        return new ClusterRateLimiter(sharding);
    }

    /** The bucket of a key: every limit of one key in the same entity, so a reset is one message. */
    static String bucket(String key) {
        return Integer.toString(Math.floorMod(key.hashCode(), BUCKETS));
    }

    @Override
    public CompletionStage<Boolean> tryAcquire(RateLimit limit, String key) {
        return sharding.entityRefFor(RateCounterEntity.TYPE_KEY, bucket(key))
                .<RateCounterEntity.Acquired>ask(r -> new RateCounterEntity.Acquire(limit.name(), limit.window().toMillis(),
                        limit.max(), key, r), ASK_TIMEOUT)
                .thenApply(RateCounterEntity.Acquired::allowed);
    }

    @Override
    public CompletionStage<List<Limited>> limited() {
        List<CompletableFuture<RateCounterEntity.LimitedList>> asks = new ArrayList<>();
        for (int i = 0; i < BUCKETS; i++) {
            asks.add(sharding.entityRefFor(RateCounterEntity.TYPE_KEY, Integer.toString(i))
                    .<RateCounterEntity.LimitedList>ask(RateCounterEntity.ListLimited::new, ASK_TIMEOUT)
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Limited> all = new ArrayList<>();
            asks.forEach(a -> all.addAll(a.join().limited()));
            all.sort(Comparator.comparing(Limited::key).thenComparing(Limited::limit));
            return all;
        });
    }

    @Override
    public CompletionStage<Integer> reset(String key) {
        return sharding.entityRefFor(RateCounterEntity.TYPE_KEY, bucket(key))
                .<RateCounterEntity.ResetDone>ask(r -> new RateCounterEntity.Reset(key, r), ASK_TIMEOUT)
                .thenApply(RateCounterEntity.ResetDone::counters);
    }
}
