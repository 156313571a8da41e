package io.mailfleet.cluster.ban;

import io.mailfleet.core.ban.Ban;
import io.mailfleet.core.ban.BanIndex;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node's copy of the active bans of the whole cluster. It mirrors the replicated map the
 * {@link BanListEntity} instances publish to (newest version per bucket) and keeps a
 * {@link BanIndex} the accept path reads without locks or blocking.
 */
public final class BanCache {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.fail2ban");

    /** The replicated map: bucket to its latest published bans. */
    public static final Key<LWWMap<String, BucketBans>> KEY = LWWMapKey.create("mailfleet-bans");

    private final AtomicReference<Snapshot> current = new AtomicReference<>(new Snapshot(Map.of(), BanIndex.empty()));
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private record Snapshot(Map<String, BucketBans> buckets, BanIndex index) {
    }

    /** The lookup table for the accept path. */
    public BanIndex index() {
        return current.get().index();
    }

    /** Buckets whose value has reached this node. */
    public Set<String> knownBuckets() {
        return current.get().buckets().keySet();
    }

    /** Bans active at {@code now}, sorted by jail then network. */
    public List<Ban> activeBans(Instant now) {
        List<Ban> out = new ArrayList<>();
        for (BucketBans b : current.get().buckets().values()) {
            for (Ban ban : b.bans()) {
                if (ban.activeAt(now)) {
                    out.add(ban);
                }
            }
        }
        out.sort(Comparator.comparing((Ban b) -> b.jail().jailName()).thenComparing(Ban::network));
        return out;
    }

    /** Calls {@code listener} after every change of the cached bans (on the thread that merged it). */
    public AutoCloseable onChange(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Takes newer bucket values, ignoring any older than what the cache has for the same bucket, and
     * tells the listeners when anything changed.
     */
    public void merge(Iterable<BucketBans> values) {
        Snapshot[] before = new Snapshot[1];
        Snapshot after = current.updateAndGet(old -> {
            before[0] = old;
            Map<String, BucketBans> m = null;
            for (BucketBans v : values) {
                BucketBans have = (m == null ? old.buckets() : m).get(v.bucket());
                if (have == null || have.version() < v.version()) {
                    if (m == null) {
                        m = new HashMap<>(old.buckets());
                    }
                    m.put(v.bucket(), v);
                }
            }
            if (m == null) {
                return old;
            }
            List<Ban> all = new ArrayList<>();
            m.values().forEach(b -> all.addAll(b.bans()));
            return new Snapshot(Map.copyOf(m), BanIndex.of(all));
        });
        if (after != before[0]) {
            for (Runnable l : listeners) {
                try {
                    l.run();
                } catch (RuntimeException e) {
                    LOG.warn("ban change listener failed: {}", e.toString());
                }
            }
        }
    }

    /** A node-local actor that feeds this cache from the replicator's change notifications. */
    public Behavior<Void> subscriber() {
        return Behaviors.<Object>setup(ctx -> DistributedData.<Object, LWWMap<String, BucketBans>>withReplicatorMessageAdapter(r -> {
            r.subscribe(KEY, changed -> changed);
            return Behaviors.receiveMessage(msg -> {
                if (msg instanceof Replicator.Changed<?> ch) {
                    @SuppressWarnings("unchecked")
                    LWWMap<String, BucketBans> map = (LWWMap<String, BucketBans>) ch.dataValue();
                    merge(map.getEntries().values());
                }
                return Behaviors.same();
            });
        })).narrow();
    }
}
