package io.mailfleet.cluster.metrics;

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

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The last hours of every node's key metrics in one replicated {@link LWWMap} (node address to its
 * {@link NodeHistory}), so the web UI of any node charts the whole cluster. Each node writes only its
 * own entry, once a minute, locally; gossip spreads it. Bounded: {@link #MAX_SAMPLES} per node, and
 * a node that stopped writing is dropped once its newest sample is older than the window.
 */
public final class ClusterMetricHistory {

    /** Six hours of one-minute samples. */
    public static final int MAX_SAMPLES = 360;

    private static final Key<LWWMap<String, NodeHistory>> KEY = LWWMapKey.create("mailfleet-metric-history");

    private final AtomicReference<LWWMap<String, NodeHistory>> replica = new AtomicReference<>(LWWMap.empty());
    private final ActorRef<Replicator.Command> replicator;
    private final SelfUniqueAddress self;
    private final String node;
    private final ActorRef<Replicator.UpdateResponse<LWWMap<String, NodeHistory>>> ignore;

    private ClusterMetricHistory(ActorSystem<?> system) {
        this.replicator = DistributedData.get(system).replicator();
        this.self = DistributedData.get(system).selfUniqueAddress();
        this.node = self.uniqueAddress().address().toString();
        this.ignore = system.ignoreRef();
    }

    /** Starts this node's replica reader. */
    public static ClusterMetricHistory start(ActorSystem<?> system) {
        ClusterMetricHistory history = new ClusterMetricHistory(system);
        system.systemActorOf(history.reader(), "metric-history", org.apache.pekko.actor.typed.Props.empty());
        return history;
    }

    /** This node's address as its key in {@link #all()}. */
    public String node() {
        return node;
    }

    /** Adds this node's sample; histories of nodes silent for longer than the window are dropped with it. */
    public void record(MetricSample sample) {
        replica.updateAndGet(m -> apply(m, sample));
        replicator.tell(new Replicator.Update<>(KEY, LWWMap.empty(), Replicator.writeLocal(), ignore,
                m -> apply(m, sample)));
    }

    private LWWMap<String, NodeHistory> apply(LWWMap<String, NodeHistory> map, MetricSample sample) {
        LWWMap<String, NodeHistory> out = map;
        for (Map.Entry<String, NodeHistory> e : map.getEntries().entrySet()) {
            if (!e.getKey().equals(node) && e.getValue().newestMinute() < sample.minute() - MAX_SAMPLES) {
                out = out.remove(self, e.getKey());
            }
        }
        NodeHistory mine = map.get(node).getOrElse(() -> new NodeHistory(java.util.List.of()));
        return out.put(self, node, mine.with(sample, MAX_SAMPLES));
    }

    /** Every node's history as this node's replica holds it. */
    public Map<String, NodeHistory> all() {
        return new HashMap<>(replica.get().getEntries());
    }

    private Behavior<Object> reader() {
        return Behaviors.setup(ctx -> DistributedData.<Object, LWWMap<String, NodeHistory>>withReplicatorMessageAdapter(r -> {
            r.subscribe(KEY, changed -> changed);
            return Behaviors.receiveMessage(msg -> {
                if (msg instanceof Replicator.Changed<?> ch) {
                    @SuppressWarnings("unchecked")
                    LWWMap<String, NodeHistory> map = (LWWMap<String, NodeHistory>) ch.dataValue();
                    replica.set(map);
                }
                return Behaviors.same();
            });
        }));
    }
}
