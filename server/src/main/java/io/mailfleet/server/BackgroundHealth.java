package io.mailfleet.server;

import io.mailfleet.core.service.GuardedTick;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The degraded states of one node that its readiness check reports: a background task whose last
 * tick failed (certificate watcher, config watcher, blob collection), or a heap that is critically
 * full after garbage collection. One instance per actor system (a Pekko extension).
 */
public final class BackgroundHealth implements Extension {

    /** Share of the heap that must be free after the last collection; below it the node is degraded. */
    static final double MIN_FREE_AFTER_GC = 0.05;

    private static final Id ID = new Id();

    private final List<GuardedTick> tasks = new CopyOnWriteArrayList<>();

    /** Created by the extension id; tests make their own. */
    BackgroundHealth() {
    }

    /** The instance of {@code system}. */
    public static BackgroundHealth get(ActorSystem system) {
        return ID.get(system);
    }

    /** The instance of a typed {@code system}. */
    public static BackgroundHealth get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return ID.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system));
    }

    /** Reports {@code tick} from now on. */
    public void register(GuardedTick tick) {
        tasks.add(tick);
    }

    /** Each degraded state in words, empty when the node is healthy. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (GuardedTick t : tasks) {
            GuardedTick.Health h = t.health();
            if (h.failing()) {
                out.add("background task " + h.name() + " failing since " + h.failingSince() + ": " + h.lastError());
            }
        }
        memoryProblem().ifPresent(out::add);
        return out;
    }

    /** A tenured heap pool with less than 5 % free after its last collection, when there is one. */
    static java.util.Optional<String> memoryProblem() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            // Only the old generation says whether live data fits: a survivor space is routinely full
            // right after a young collection (PS Survivor Space "5 of 5 MiB" failed /ready on a healthy
            // node). HotSpot's eden and survivor pools are the heap pools without a usage threshold.
            if (!tenured(pool)) {
                continue;
            }
            java.util.Optional<String> p = judge(pool.getName(), pool.getCollectionUsage(), pool.getUsage().getMax());
            if (p.isPresent()) {
                return p;
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether {@code pool} is an old-generation heap pool, the one whose use after collection is judged. */
    static boolean tenured(MemoryPoolMXBean pool) {
        return pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported()
                && pool.isCollectionUsageThresholdSupported();
    }

    /** The verdict on one pool's usage after its last collection ({@code maxFallback}: the pool's maximum). */
    static java.util.Optional<String> judge(String pool, MemoryUsage afterGc, long maxFallback) {
        if (afterGc == null || afterGc.getUsed() == 0) {
            return java.util.Optional.empty(); // not collected yet
        }
        long max = afterGc.getMax() > 0 ? afterGc.getMax() : maxFallback;
        if (max <= 0 || afterGc.getUsed() <= max * (1 - MIN_FREE_AFTER_GC)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format("memory critically low: %s holds %d of %d MiB after garbage"
                + " collection", pool, afterGc.getUsed() >> 20, max >> 20));
    }

    private static final class Id extends AbstractExtensionId<BackgroundHealth> implements ExtensionIdProvider {
        @Override
        public BackgroundHealth createExtension(ExtendedActorSystem system) {
            return new BackgroundHealth();
        }

        @Override
        public Id lookup() {
            return ID;
        }
    }
}
