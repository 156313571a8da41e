package io.mailfleet.cluster.node;

import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Holds a graceful leave of the oldest member (the one running the cluster singletons, among them
 * every shard coordinator) until the other members have forgotten a member removed shortly before.
 *
 * <p>Why: a younger member keeps a removed oldest in its list of previous oldest members for the
 * singleton removal margin (the split-brain resolver's {@code stable-after}, 7 s). When a rolling
 * restart stops the current oldest within that margin after an earlier member left and came back on
 * the same host and port, the younger member asks that address, now the restarted node, to hand
 * the singletons over; the restarted node truthfully answers that it runs none, and the younger
 * member starts its own while the leaving oldest still runs them. Two shard coordinators for a
 * moment allocate one shard to two nodes, so two incarnations of one entity write the same journal
 * (seen in {@code RollingRestartTest}). Waiting out the margin before leaving closes the window.
 */
public final class LeaveAfterRemovalMargin {

    private static final Logger LOG = LoggerFactory.getLogger(LeaveAfterRemovalMargin.class);
    /** Beyond the margin: the other members see a removal a little after this one does. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    private LeaveAfterRemovalMargin() {
    }

    /** What the watcher hears and is asked. */
    sealed interface Command {
    }

    /** A member was removed from the cluster. */
    private record Removed(ClusterEvent.MemberRemoved event) implements Command {
    }

    /** The node is about to leave: answered once leaving is safe. */
    private record Settle(ActorRef<Done> replyTo) implements Command {
    }

    /** The wait for a {@link Settle} is over. */
    private record Settled(ActorRef<Done> replyTo) implements Command {
    }

    /** The coordinated-shutdown phase of the wait, the first one (see the cluster module's reference.conf). */
    static final String PHASE = "mailfleet-await-removal-margin";

    /**
     * Starts the watcher on {@code system} and makes the node's graceful stop wait for it first,
     * before the listeners close, so the node keeps serving while it waits.
     */
    public static void install(ActorSystem<?> system) {
        Duration margin = Duration.ofMillis(org.apache.pekko.cluster.Cluster.get(system.classicSystem())
                .downingProvider().downRemovalMargin().toMillis());
        Duration wait = margin.plus(SLACK);
        ActorRef<Command> watcher = system.systemActorOf(behavior(wait), "leave-after-removal-margin",
                Props.empty());
        Duration askTimeout = wait.plusSeconds(5);
        CoordinatedShutdown.get(system.classicSystem()).addTask(PHASE,
                "leave-after-removal-margin", () -> AskPattern.<Command, Done>ask(watcher, Settle::new, askTimeout,
                                system.scheduler())
                        .exceptionally(err -> Done.getInstance()));
    }

    private static Behavior<Command> behavior(Duration wait) {
        return Behaviors.setup(ctx -> {
            Cluster cluster = Cluster.get(ctx.getSystem());
            cluster.subscriptions().tell(Subscribe.create(
                    ctx.messageAdapter(ClusterEvent.MemberRemoved.class, Removed::new), ClusterEvent.MemberRemoved.class));
            return Behaviors.withTimers(timers -> watching(cluster, timers, wait, Long.MIN_VALUE));
        });
    }

    private static Behavior<Command> watching(Cluster cluster,
                                              org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers,
                                              Duration wait, long lastRemovalNanos) {
        return Behaviors.receive(Command.class)
                .onMessage(Removed.class, r -> r.event().member().uniqueAddress().equals(cluster.selfMember().uniqueAddress())
                        ? Behaviors.same()
                        : watching(cluster, timers, wait, System.nanoTime()))
                .onMessage(Settle.class, s -> {
                    long left = lastRemovalNanos == Long.MIN_VALUE ? 0
                            : wait.toNanos() - (System.nanoTime() - lastRemovalNanos);
                    if (left <= 0 || !oldest(cluster)) {
                        s.replyTo().tell(Done.getInstance());
                    } else {
                        LOG.info("leaving the cluster in {} ms: a member was removed {} ms ago and the others must "
                                        + "forget it before this node, the oldest, hands its singletons over",
                                left / 1_000_000, (System.nanoTime() - lastRemovalNanos) / 1_000_000);
                        timers.startSingleTimer(new Settled(s.replyTo()), Duration.ofNanos(left));
                    }
                    return Behaviors.same();
                })
                .onMessage(Settled.class, s -> {
                    s.replyTo().tell(Done.getInstance());
                    return Behaviors.same();
                })
                .build();
    }

    /** Whether this node is the oldest member that is up or leaving (where the singletons run). */
    private static boolean oldest(Cluster cluster) {
        Member self = cluster.selfMember();
        for (Member m : cluster.state().getMembers()) {
            boolean counts = m.status() == MemberStatus.up() || m.status() == MemberStatus.leaving()
                    || m.status() == MemberStatus.exiting();
            if (counts && !m.uniqueAddress().equals(self.uniqueAddress()) && m.isOlderThan(self)) {
                return false;
            }
        }
        return true;
    }
}
