package io.mailfleet.cluster.directory;

import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.directory.RegexAlias;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node's read cache of the directory. It holds no state of its own: it mirrors the replicated map
 * the {@link DirectoryEntity} instances publish to, keeping per domain the highest version seen, and
 * exposes an immutable {@link DirectoryView} that the hot path reads without blocking.
 */
public final class DirectoryCache {

    /** The replicated map: domain to its latest published state. */
    public static final Key<LWWMap<String, DirectoryState>> KEY = LWWMapKey.create("mailfleet-directory");

    private final AtomicReference<Snapshot> current = new AtomicReference<>(new Snapshot(Map.of(), DirectoryView.empty()));

    private record Snapshot(Map<String, DirectoryState> states, DirectoryView view) {
    }

    /** The current view. */
    public DirectoryView view() {
        return current.get().view();
    }

    /** Domains (empty ones and the global entry included) the cache has received a state for. */
    public java.util.Set<String> knownDomains() {
        return current.get().states().keySet();
    }

    /** Takes newer states, ignoring any older than what the cache has for the same domain. */
    public void merge(Iterable<DirectoryState> states) {
        current.updateAndGet(old -> {
            Map<String, DirectoryState> m = null;
            for (DirectoryState s : states) {
                DirectoryState have = (m == null ? old.states() : m).get(s.directory().domain());
                if (have == null || have.version() < s.version()) {
                    if (m == null) {
                        m = new HashMap<>(old.states());
                    }
                    m.put(s.directory().domain(), s);
                }
            }
            return m == null ? old : new Snapshot(Map.copyOf(m), toView(m));
        });
    }

    private static DirectoryView toView(Map<String, DirectoryState> states) {
        List<DomainDirectory> domains = new ArrayList<>();
        List<RegexAlias> regex = List.of();
        for (DirectoryState s : states.values()) {
            if (DirectoryEntity.GLOBAL.equals(s.directory().domain())) {
                regex = s.regexAliases();
            } else {
                domains.add(s.directory());
            }
        }
        return DirectoryView.of(domains, regex);
    }

    /** A node-local actor that feeds this cache from the replicator's change notifications. */
    public Behavior<Void> subscriber() {
        return Behaviors.<Object>setup(ctx -> DistributedData.<Object, LWWMap<String, DirectoryState>>withReplicatorMessageAdapter(r -> {
            r.subscribe(KEY, changed -> changed);
            return Behaviors.receiveMessage(msg -> {
                if (msg instanceof Replicator.Changed<?> ch) {
                    @SuppressWarnings("unchecked")
                    LWWMap<String, DirectoryState> map = (LWWMap<String, DirectoryState>) ch.dataValue();
                    merge(map.getEntries().values());
                }
                return Behaviors.same();
            });
        })).narrow();
    }
}
