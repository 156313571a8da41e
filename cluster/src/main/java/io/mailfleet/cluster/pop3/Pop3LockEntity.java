package io.mailfleet.cluster.pop3;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.time.Duration;

/**
 * The POP3 lock of one maildrop (RFC 1939 §8: one session per maildrop). Not persisted: a lease
 * belongs to a live session, held by a {@link LeaseHolder} actor on the session's node. The lease
 * ends on release, when the holder actor stops (watched, so also when its node leaves or is downed),
 * or when the holder stops renewing for the lease duration (its node froze or vanished). If this
 * entity moves to another node its state is lost; the holder's next renewal re-establishes it.
 */
public final class Pop3LockEntity extends AbstractBehavior<Pop3LockEntity.Command> {

    /** Sharding type; the entity id is the account address. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Pop3Lock");

    /** Messages the entity accepts. */
    public sealed interface Command permits Acquire, Renew, Release, HolderGone, CheckExpiry {
    }

    /** Take the maildrop for {@code owner}; the lease lasts {@code leaseMillis} past each renewal. */
    public record Acquire(String owner, ActorRef<LeaseHolder.Msg> holder, long leaseMillis,
                          ActorRef<Granted> replyTo) implements Command {
    }

    /** Answer to {@link Acquire}. */
    public record Granted(boolean granted) {
    }

    /** Keep the lease of {@code owner} alive (or take it again after this entity moved). */
    public record Renew(String owner, ActorRef<LeaseHolder.Msg> holder, long leaseMillis) implements Command {
    }

    /** Give the maildrop back. */
    public record Release(String owner) implements Command {
    }

    record HolderGone(ActorRef<LeaseHolder.Msg> holder) implements Command {
    }

    record CheckExpiry() implements Command {
    }

    private final TimerScheduler<Command> timers;
    private String owner;
    private ActorRef<LeaseHolder.Msg> holder;
    private long expiresAtNanos;

    private Pop3LockEntity(ActorContext<Command> ctx, TimerScheduler<Command> timers) {
        super(ctx);
        this.timers = timers;
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Pop3LockEntity(ctx, timers)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Acquire.class, this::onAcquire)
                .onMessage(Renew.class, this::onRenew)
                .onMessage(Release.class, r -> {
                    if (r.owner().equals(owner)) {
                        free();
                    }
                    return this;
                })
                .onMessage(HolderGone.class, g -> {
                    if (g.holder().equals(holder)) {
                        free();
                    }
                    return this;
                })
                .onMessage(CheckExpiry.class, c -> {
                    if (owner != null && System.nanoTime() - expiresAtNanos > 0) {
                        getContext().getLog().info("POP3 lease of {} expired (holder stopped renewing)", owner);
                        free();
                    }
                    return this;
                })
                .build();
    }

    private Behavior<Command> onAcquire(Acquire a) {
        boolean ok = owner == null || owner.equals(a.owner());
        if (ok) {
            grant(a.owner(), a.holder(), a.leaseMillis());
        }
        a.replyTo().tell(new Granted(ok));
        return this;
    }

    private Behavior<Command> onRenew(Renew r) {
        if (owner == null || owner.equals(r.owner())) {
            grant(r.owner(), r.holder(), r.leaseMillis());
        }
        return this;
    }

    private void grant(String newOwner, ActorRef<LeaseHolder.Msg> newHolder, long leaseMillis) {
        if (holder != null && !holder.equals(newHolder)) {
            getContext().unwatch(holder);
        }
        if (!newHolder.equals(holder)) {
            getContext().watchWith(newHolder, new HolderGone(newHolder));
        }
        owner = newOwner;
        holder = newHolder;
        expiresAtNanos = System.nanoTime() + Duration.ofMillis(leaseMillis).toNanos();
        timers.startTimerWithFixedDelay("expiry", new CheckExpiry(), Duration.ofMillis(Math.max(100, leaseMillis / 3)));
    }

    private void free() {
        if (holder != null) {
            getContext().unwatch(holder);
        }
        owner = null;
        holder = null;
        timers.cancel("expiry");
    }
}
