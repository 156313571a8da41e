package io.mailfleet.cluster.ratelimit;

import io.mailfleet.core.ratelimit.RateLimiter.Limited;
import io.mailfleet.core.ratelimit.SlidingWindow;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counters of one bucket of keys (docs/smtp-defences.md). Kept in memory only: a count is a
 * minute's or a day's traffic, and when the owning node leaves the bucket starts again from zero on
 * its new owner. One owner per key at a time makes the count exact across the cluster.
 */
public final class RateCounterEntity extends AbstractBehavior<RateCounterEntity.Command> {

    /** Sharding type; the entity id is the bucket number of {@link ClusterRateLimiter#bucket}. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "RateCounter");

    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    /** Messages the entity accepts. */
    public sealed interface Command permits Acquire, ListLimited, Reset, Prune {
    }

    /** Count one event of {@code key} under limit {@code limit} (at most {@code max} per {@code windowMillis}). */
    public record Acquire(String limit, long windowMillis, long max, String key, ActorRef<Acquired> replyTo)
            implements Command {
    }

    /** Reply to {@link Acquire}: whether the event was within the limit (and counted). */
    public record Acquired(boolean allowed) {
    }

    /** The keys this bucket refused within their window. */
    public record ListLimited(ActorRef<LimitedList> replyTo) implements Command {
    }

    /** Reply to {@link ListLimited}. */
    public record LimitedList(List<Limited> limited) {
        public LimitedList {
            limited = List.copyOf(limited);
        }
    }

    /** Forget {@code key} under every limit. */
    public record Reset(String key, ActorRef<ResetDone> replyTo) implements Command {
    }

    /** Reply to {@link Reset}: how many counters were dropped. */
    public record ResetDone(int counters) {
    }

    /** Internal: drop idle counters. */
    public record Prune() implements Command {
    }

    private final Clock clock;
    private final Map<String, SlidingWindow> windows = new HashMap<>();
    private final Map<String, Limited> refused = new HashMap<>();

    private RateCounterEntity(ActorContext<Command> context, Clock clock) {
        super(context);
        this.clock = clock;
    }

    public static Behavior<Command> create(Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Prune(), PRUNE_EVERY);
            return new RateCounterEntity(ctx, clock);
        }));
    }

    private static String id(String limit, String key) {
        return limit + " " + key;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Acquire.class, this::onAcquire)
                .onMessage(ListLimited.class, this::onList)
                .onMessage(Reset.class, this::onReset)
                .onMessage(Prune.class, p -> {
                    prune(clock.millis());
                    return this;
                })
                .build();
    }

    private Behavior<Command> onAcquire(Acquire a) {
        long now = clock.millis();
        String id = id(a.limit(), a.key());
        boolean allowed = windows.computeIfAbsent(id, k -> new SlidingWindow(a.windowMillis(), now))
                .tryAdd(now, 1, a.max());
        if (!allowed) {
            Limited before = refused.get(id);
            long count = before == null || before.refusedAt() < now - a.windowMillis() ? 1 : before.refusals() + 1;
            refused.put(id, new Limited(a.limit(), a.key(), a.max(), a.windowMillis() / 1000, now, count));
        }
        a.replyTo().tell(new Acquired(allowed));
        return this;
    }

    private Behavior<Command> onList(ListLimited l) {
        long now = clock.millis();
        prune(now);
        l.replyTo().tell(new LimitedList(new ArrayList<>(refused.values())));
        return this;
    }

    private Behavior<Command> onReset(Reset r) {
        String suffix = " " + r.key();
        int before = windows.size();
        windows.keySet().removeIf(k -> k.endsWith(suffix));
        refused.values().removeIf(l -> l.key().equals(r.key()));
        r.replyTo().tell(new ResetDone(before - windows.size()));
        return this;
    }

    private void prune(long now) {
        windows.values().removeIf(w -> w.idle(now));
        refused.values().removeIf(l -> l.refusedAt() < now - l.windowSeconds() * 1000);
    }
}
