package io.mailfleet.cluster.mtasts;

import io.mailfleet.cluster.node.NodeActors;
import io.mailfleet.core.mtasts.CachedPolicy;
import io.mailfleet.core.mtasts.PolicyCache;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link PolicyCache} on a replicated map (domain → policy): reads come from this node's copy
 * without asking anyone, a fetched policy is written locally and gossiped to every node. The
 * newer fetch wins when two nodes store the same domain.
 */
public final class ClusterPolicyCache implements PolicyCache {

    /** The replicated map of domain to its latest fetched policy. */
    public static final Key<LWWMap<String, CachedPolicy>> KEY = LWWMapKey.create("mailfleet-mta-sts");

    /** Policies expired for this long are dropped from the map, so it does not grow forever. */
    private static final Duration PRUNE_AFTER = Duration.ofDays(1);

    private final AtomicReference<Map<String, CachedPolicy>> current = new AtomicReference<>(Map.of());
    private final ActorRef<Object> writer;
    private final Clock clock;

    private ClusterPolicyCache(ActorSystem<?> system, Clock clock) {
        this.clock = clock;
        this.writer = system.systemActorOf(NodeActors.restarting(behavior()), "mta-sts-cache", Props.empty());
    }

    /** Starts the node's copy of the cache. */
    public static ClusterPolicyCache start(ActorSystem<?> system) {
        return new ClusterPolicyCache(system, Clock.systemUTC());
    }

    @Override
    public CompletionStage<Optional<CachedPolicy>> get(String domain) {
        return CompletableFuture.completedFuture(Optional.ofNullable(current.get().get(domain)));
    }

    @Override
    public void put(CachedPolicy policy) {
        merge(Map.of(policy.domain(), policy));
        writer.tell(new Store(policy));
    }

    /** The number of domains whose policy this node knows. */
    public int size() {
        return current.get().size();
    }

    /**
     * The replicated map changed: it becomes this node's copy, except for newer local policies whose
     * write has not come back yet (entries the map pruned are dropped here too).
     */
    private void replace(Map<String, CachedPolicy> replicated) {
        long cutoff = clock.millis() - PRUNE_AFTER.toMillis();
        current.updateAndGet(old -> {
            Map<String, CachedPolicy> m = new HashMap<>(replicated);
            old.forEach((d, p) -> {
                CachedPolicy r = m.get(d);
                if (r == null ? p.expiresAtMillis() >= cutoff : r.fetchedAtMillis() < p.fetchedAtMillis()) {
                    m.put(d, p);
                }
            });
            return Map.copyOf(m);
        });
    }

    private void merge(Map<String, CachedPolicy> values) {
        current.updateAndGet(old -> {
            Map<String, CachedPolicy> m = new HashMap<>(old);
            values.forEach((d, p) -> {
                CachedPolicy have = m.get(d);
                if (have == null || have.fetchedAtMillis() <= p.fetchedAtMillis()) {
                    m.put(d, p);
                }
            });
            return Map.copyOf(m);
        });
    }

    private record Store(CachedPolicy policy) {
    }

    private Behavior<Object> behavior() {
        return Behaviors.setup(ctx -> DistributedData.<Object, LWWMap<String, CachedPolicy>>withReplicatorMessageAdapter(r -> {
            SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
            r.subscribe(KEY, changed -> changed);
            return Behaviors.receiveMessage(msg -> {
                if (msg instanceof Replicator.Changed<?> ch) {
                    @SuppressWarnings("unchecked")
                    LWWMap<String, CachedPolicy> map = (LWWMap<String, CachedPolicy>) ch.dataValue();
                    replace(map.getEntries());
                } else if (msg instanceof Store s) {
                    CachedPolicy p = s.policy();
                    long cutoff = clock.millis() - PRUNE_AFTER.toMillis();
                    // The fetch time orders writes of different nodes: the newer policy wins.
                    LWWRegister.Clock<CachedPolicy> byFetch = (currentTimestamp, value) -> value.fetchedAtMillis();
                    r.askUpdate(ask -> new Replicator.Update<>(KEY, LWWMap.empty(), Replicator.writeLocal(), ask,
                            map -> {
                                LWWMap<String, CachedPolicy> m = map.put(self, p.domain(), p, byFetch);
                                for (Map.Entry<String, CachedPolicy> e : map.getEntries().entrySet()) {
                                    if (e.getValue().expiresAtMillis() < cutoff && !e.getKey().equals(p.domain())) {
                                        m = m.remove(self, e.getKey());
                                    }
                                }
                                return m;
                            }), rsp -> rsp);
                }
                return Behaviors.same();
            });
        }));
    }
}
