package io.mailfleet.cluster.cache;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node's read cache of every mailbox's quota usage, fed by the replicated map the mailbox entities
 * publish to, so the RCPT quota check never waits for an entity.
 */
public final class UsageCache {

    /** The replicated map: account to used bytes. */
    public static final Key<LWWMap<String, Long>> KEY = LWWMapKey.create("mailfleet-usage");

    private final AtomicReference<Map<String, Long>> usage = new AtomicReference<>(Map.of());

    /** Used bytes of an account as last published; 0 when unknown. */
    public long usedBytes(String account) {
        return usage.get().getOrDefault(account, 0L);
    }

    /** A node-local actor that mirrors the replicated map into this cache. */
    public Behavior<Void> subscriber() {
        return Behaviors.<Object>setup(ctx -> DistributedData.<Object, LWWMap<String, Long>>withReplicatorMessageAdapter(r -> {
            r.subscribe(KEY, changed -> changed);
            return Behaviors.receiveMessage(msg -> {
                if (msg instanceof Replicator.Changed<?> ch) {
                    @SuppressWarnings("unchecked")
                    LWWMap<String, Long> map = (LWWMap<String, Long>) ch.dataValue();
                    usage.set(Map.copyOf(map.getEntries()));
                }
                return Behaviors.same();
            });
        })).narrow();
    }
}
