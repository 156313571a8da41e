package io.mailfleet.cluster.pop3;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cluster-wide POP3 maildrop locks on the sharded {@link Pop3LockEntity}. {@link #tryLock} matches
 * {@code io.mailfleet.protocols.pop3.Pop3Lock}, so a method reference wires the two.
 */
public final class ClusterPop3Locks {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final Duration lease;
    private final AtomicLong ids = new AtomicLong();

    private ClusterPop3Locks(ActorSystem<?> system, ClusterSharding sharding, Duration lease) {
        this.system = system;
        this.sharding = sharding;
        this.lease = lease;
    }

    /**
     * Registers the lock entity type on this node (every node must call it).
     *
     * @param lease how long a lease outlives its last renewal (renewed every third of it)
     */
    public static ClusterPop3Locks start(ActorSystem<?> system, Duration lease) {
        if (lease.toMillis() < 300) {
            throw new IllegalArgumentException("POP3 lock lease must be at least 300 ms, got " + lease);
        }
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(Pop3LockEntity.TYPE_KEY, ctx -> Pop3LockEntity.create()));
        return new ClusterPop3Locks(system, sharding, lease);
    }

    /** With a 30 second lease. */
    public static ClusterPop3Locks start(ActorSystem<?> system) {
        return start(system, Duration.ofSeconds(30));
    }

    /**
     * Takes the maildrop of {@code account} for one session.
     *
     * @param owner describes the session (for logs); made unique here
     * @return the release action when granted, empty when another session holds the maildrop
     */
    public CompletionStage<Optional<Runnable>> tryLock(String account, String owner) {
        String key = account.toLowerCase(Locale.ROOT);
        String unique = owner + "#" + UUID.randomUUID();
        EntityRef<Pop3LockEntity.Command> lock = sharding.entityRefFor(Pop3LockEntity.TYPE_KEY, key);
        ActorRef<LeaseHolder.Msg> holder = system.systemActorOf(LeaseHolder.create(lock, unique, lease),
                "pop3-lease-" + ids.incrementAndGet(), Props.empty());
        return lock.<Pop3LockEntity.Granted>ask(r -> new Pop3LockEntity.Acquire(unique, holder, lease.toMillis(), r),
                TIMEOUT).handle((granted, err) -> {
                    if (err != null || !granted.granted()) {
                        holder.tell(new LeaseHolder.Stop());
                        if (err != null) {
                            throw new IllegalStateException("POP3 lock of " + key + " unavailable: " + err, err);
                        }
                        return Optional.empty();
                    }
                    AtomicBoolean released = new AtomicBoolean();
                    Runnable release = () -> {
                        if (released.compareAndSet(false, true)) {
                            holder.tell(new LeaseHolder.Stop());
                        }
                    };
                    return Optional.of(release);
                });
    }
}
