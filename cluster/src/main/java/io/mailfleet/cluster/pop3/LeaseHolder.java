package io.mailfleet.cluster.pop3;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

import java.time.Duration;

/**
 * Stands for one POP3 session's lease on the session's node: renews it periodically and releases it
 * when told to stop. The lock entity watches this actor, so the lease also ends when it dies.
 */
public final class LeaseHolder {

    private LeaseHolder() {
    }

    /** Messages of the holder (node-local). */
    public sealed interface Msg permits RenewTick, Stop {
    }

    record RenewTick() implements Msg {
    }

    /** End the lease. */
    record Stop() implements Msg {
    }

    static Behavior<Msg> create(EntityRef<Pop3LockEntity.Command> lock, String owner, Duration lease) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new RenewTick(), lease.dividedBy(3));
            return Behaviors.receive(Msg.class)
                    .onMessage(RenewTick.class, t -> {
                        lock.tell(new Pop3LockEntity.Renew(owner, ctx.getSelf(), lease.toMillis()));
                        return Behaviors.same();
                    })
                    .onMessage(Stop.class, s -> {
                        lock.tell(new Pop3LockEntity.Release(owner));
                        return Behaviors.stopped();
                    })
                    .build();
        }));
    }
}
