package io.mailfleet.cluster.quota;

import io.mailfleet.cluster.cache.UsageCache;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.ToLongFunction;

/**
 * A node-local actor that follows the replicated quota usage (the map the mailbox entities publish for
 * the RCPT check) and reports each account's warning level to its {@link QuotaWarningEntity} when it
 * changes; when the entity answers that this was a new upward crossing, it has the warning sent.
 * The level this node last reported is only a filter against asking on every delivery; the entity is
 * the one memory the cluster shares.
 */
public final class QuotaWatcher {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.quota");
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(20);

    /** Sends the warning for a crossing; completes when it is queued. */
    @FunctionalInterface
    public interface WarningSender {
        CompletionStage<?> send(String account, int percent, long usedBytes, long quotaBytes);
    }

    private interface Msg {
    }

    private record UsageChanged(Map<String, Long> usage) implements Msg {
    }

    private record Answered(String account, int level, long used, long quota, QuotaWarningEntity.Crossing crossing,
                            Throwable failure) implements Msg {
    }

    private final ActorContext<Msg> ctx;
    private final ClusterSharding sharding;
    private final ToLongFunction<String> quotaOf;
    private final List<Integer> levels;
    private final WarningSender sender;
    private Map<String, Long> previous = Map.of();
    private final Map<String, Integer> reported = new HashMap<>();

    private QuotaWatcher(ActorContext<Msg> ctx, ClusterSharding sharding, ToLongFunction<String> quotaOf,
                         List<Integer> levels, WarningSender sender) {
        this.ctx = ctx;
        this.sharding = sharding;
        this.quotaOf = quotaOf;
        this.levels = levels.stream().sorted((a, b) -> b - a).toList();
        this.sender = sender;
    }

    /**
     * The watcher's behaviour.
     *
     * @param quotaOf the effective quota of an account in bytes, 0 = unlimited
     * @param levels  the warning percentages (e.g. 80 and 95)
     */
    public static Behavior<Void> create(ClusterSharding sharding, ToLongFunction<String> quotaOf, List<Integer> levels,
                                        WarningSender sender) {
        return Behaviors.<Msg>setup(ctx -> DistributedData.<Msg, LWWMap<String, Long>>withReplicatorMessageAdapter(r -> {
            QuotaWatcher w = new QuotaWatcher(ctx, sharding, quotaOf, levels, sender);
            r.subscribe(UsageCache.KEY, changed -> {
                @SuppressWarnings("unchecked")
                LWWMap<String, Long> map = (LWWMap<String, Long>) ((Replicator.Changed<?>) changed).dataValue();
                return new UsageChanged(Map.copyOf(map.getEntries()));
            });
            return Behaviors.receive(Msg.class)
                    .onMessage(UsageChanged.class, w::changed)
                    .onMessage(Answered.class, w::answered)
                    .build();
        })).unsafeCast(); // nobody outside sends to it: its messages are its own
    }

    /** The highest warning percentage {@code used} reaches of {@code quota}, 0 below all of them. */
    static int level(List<Integer> descending, long used, long quota) {
        if (quota <= 0) {
            return 0;
        }
        for (int percent : descending) {
            if (used * 100 >= quota * percent) {
                return percent;
            }
        }
        return 0;
    }

    private Behavior<Msg> changed(UsageChanged c) {
        for (Map.Entry<String, Long> e : c.usage().entrySet()) {
            String account = e.getKey();
            long used = e.getValue();
            if (previous.getOrDefault(account, -1L) == used) {
                continue;
            }
            long quota = quotaOf.applyAsLong(account);
            int level = level(levels, used, quota);
            Integer last = reported.get(account);
            if (last != null && last == level || last == null && level == 0 && quota <= 0) {
                continue;
            }
            reported.put(account, level);
            ctx.pipeToSelf(sharding.entityRefFor(QuotaWarningEntity.TYPE_KEY, account)
                            .<QuotaWarningEntity.Crossing>ask(ref -> new QuotaWarningEntity.Observe(level, ref), ASK_TIMEOUT),
                    (crossing, err) -> new Answered(account, level, used, quota, crossing, err));
        }
        previous = c.usage();
        return Behaviors.same();
    }

    private Behavior<Msg> answered(Answered a) {
        if (a.failure() != null) {
            // asked again at the next change of the account's usage
            reported.remove(a.account());
            LOG.warn("quota warning level of {} not recorded: {}", a.account(), a.failure().toString());
            return Behaviors.same();
        }
        if (a.crossing().warn()) {
            LOG.info("quota warning: {} at {}% ({} of {} bytes)", a.account(), a.level(), a.used(), a.quota());
            sender.send(a.account(), a.level(), a.used(), a.quota()).whenComplete((v, err) -> {
                if (err != null) {
                    LOG.error("quota warning to {} at {}% could not be queued: {}", a.account(), a.level(), err.toString());
                }
            });
        }
        return Behaviors.same();
    }
}
