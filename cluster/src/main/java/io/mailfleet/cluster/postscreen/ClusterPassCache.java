package io.mailfleet.cluster.postscreen;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Clients that passed a postscreen test, for the whole cluster: {@value #BUCKETS} replicated
 * {@link LWWMap}s (Pekko Distributed Data) from a pass key ({@code "dnsbl 192.0.2.7"}) to the time the
 * pass expires (epoch milliseconds). A node writes a pass to its local replica, which gossips it to the
 * others within about a second; reads are local and never wait, so the accept path can ask. Expired
 * passes are removed once a minute by the cluster's leader node; a bucket holding its share of
 * {@code maxEntries} live passes takes no new one (a flood of addresses costs a bounded amount of
 * replicated state). Not durable: a restart of the whole cluster forgets the passes, which only means
 * clients are tested once more.
 */
public final class ClusterPassCache {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp.postscreen");

    static final int BUCKETS = 16;
    static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);
    /** Removals per replicated update, so one prune never makes a huge delta. */
    private static final int PRUNE_BATCH = 1_000;

    private final List<Key<LWWMap<String, Long>>> keys = new ArrayList<>();
    private final AtomicReferenceArray<LWWMap<String, Long>> replicas = new AtomicReferenceArray<>(BUCKETS);
    private final ActorRef<Replicator.Command> replicator;
    private final SelfUniqueAddress self;
    private final int maxPerBucket;
    private final Clock clock;
    private final ActorRef<Replicator.UpdateResponse<LWWMap<String, Long>>> ignore;
    private final Duration pruneInterval;

    private ClusterPassCache(ActorSystem<?> system, int maxEntries, Clock clock, Duration pruneInterval) {
        for (int i = 0; i < BUCKETS; i++) {
            keys.add(LWWMapKey.create("mailfleet-postscreen-pass-" + i));
            replicas.set(i, LWWMap.empty());
        }
        this.replicator = DistributedData.get(system).replicator();
        this.self = DistributedData.get(system).selfUniqueAddress();
        this.maxPerBucket = Math.max(1, maxEntries / BUCKETS);
        this.clock = clock;
        this.ignore = system.ignoreRef();
        this.pruneInterval = pruneInterval;
    }

    /** Starts this node's replica reader and pruner. */
    public static ClusterPassCache start(ActorSystem<?> system, int maxEntries) {
        return start(system, maxEntries, Clock.systemUTC(), PRUNE_INTERVAL);
    }

    /** As above, on {@code clock}, pruning every {@code pruneInterval} (tests). */
    static ClusterPassCache start(ActorSystem<?> system, int maxEntries, Clock clock, Duration pruneInterval) {
        ClusterPassCache cache = new ClusterPassCache(system, maxEntries, clock, pruneInterval);
        system.systemActorOf(cache.replica(), "postscreen-pass-cache", org.apache.pekko.actor.typed.Props.empty());
        return cache;
    }

    static int bucket(String key) {
        return Math.floorMod(key.hashCode(), BUCKETS);
    }

    /** True when a pass of {@code key} has reached this node and has not expired. */
    public boolean passed(String key) {
        Option<Long> until = replicas.get(bucket(key)).get(key);
        return until.isDefined() && until.get() > clock.millis();
    }

    /** Remembers a pass of {@code key} for {@code ttl}, cluster-wide; nothing when {@code ttl} is zero. */
    public void remember(String key, Duration ttl) {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        int b = bucket(key);
        LWWMap<String, Long> now = replicas.get(b);
        if (now.size() >= maxPerBucket && !now.contains(key)) {
            LOG.debug("postscreen pass cache bucket {} full ({} entries): {} not remembered", b, now.size(), key);
            return;
        }
        long until = clock.millis() + ttl.toMillis();
        // visible on this node at once; the replicator's own copy follows with its next change notice
        replicas.updateAndGet(b, m -> m.put(self, key, until));
        replicator.tell(new Replicator.Update<>(keys.get(b), LWWMap.empty(), Replicator.writeLocal(),
                ignore, m -> m.put(self, key, until)));
    }

    /** Passes whose replica this node holds (live or not yet pruned), for tests and the log. */
    public int size() {
        int n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += replicas.get(i).size();
        }
        return n;
    }

    private enum Tick { PRUNE }

    private Behavior<Object> replica() {
        return Behaviors.<Object>setup(ctx -> {
            return DistributedData.<Object, LWWMap<String, Long>>withReplicatorMessageAdapter(r ->
                    Behaviors.withTimers(timers -> {
                        for (Key<LWWMap<String, Long>> k : keys) {
                            r.subscribe(k, changed -> changed);
                        }
                        timers.startTimerWithFixedDelay(Tick.PRUNE, pruneInterval);
                        return Behaviors.receiveMessage(msg -> {
                            if (msg instanceof Replicator.Changed<?> ch) {
                                @SuppressWarnings("unchecked")
                                LWWMap<String, Long> map = (LWWMap<String, Long>) ch.dataValue();
                                replicas.set(keys.indexOf(ch.key()), map);
                            } else if (msg == Tick.PRUNE && leader(ctx.getSystem())) {
                                prune(r);
                            }
                            return Behaviors.same();
                        });
                    }));
        });
    }

    private static boolean leader(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        return cluster.selfMember().address().equals(cluster.state().getLeader());
    }

    private void prune(org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter<Object,
            LWWMap<String, Long>> r) {
        long now = clock.millis();
        for (int i = 0; i < BUCKETS; i++) {
            List<String> expired = new ArrayList<>();
            replicas.get(i).getEntries().forEach((k, until) -> {
                if (until <= now && expired.size() < PRUNE_BATCH) {
                    expired.add(k);
                }
            });
            if (!expired.isEmpty()) {
                Key<LWWMap<String, Long>> key = keys.get(i);
                r.askUpdate(ask -> new Replicator.Update<>(key,
                        LWWMap.empty(), Replicator.writeLocal(), ask, m -> {
                            LWWMap<String, Long> out = m;
                            for (String k : expired) {
                                out = out.remove(self, k);
                            }
                            return out;
                        }), rsp -> rsp);
                LOG.debug("postscreen pass cache: {} expired passes removed from bucket {}", expired.size(), i);
            }
        }
    }
}
