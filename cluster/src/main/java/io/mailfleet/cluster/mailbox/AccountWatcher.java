package io.mailfleet.cluster.mailbox;

import io.mailfleet.core.mailbox.MailboxEvent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A node-local watcher of one account's mailbox: registers with the account's {@link MailboxEntity}
 * (wherever it runs) and re-registers every {@code refresh}, which keeps the entity from passivating
 * while sessions watch it. When the entity answers with a new incarnation (first registration, or the
 * entity restarted and forgot its watchers) the sink gets a {@link MailboxEvent.Resync}: events told
 * to nobody in between are recovered by the sessions' {@code changesSince}. Stops on {@link Stop}.
 */
final class AccountWatcher {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REWATCH_DELAY = Duration.ofMillis(100);

    /** Messages of the watcher. */
    sealed interface Msg permits Received, Stop, Refresh, Registered, EntityGone {
    }

    /** The entity incarnation this watch was registered with stopped (moved, passivated or its node left). */
    private record EntityGone() implements Msg {
    }

    record Received(MailboxEvent event) implements Msg {
    }

    record Stop() implements Msg {
    }

    private record Refresh() implements Msg {
    }

    /** {@code incarnation} is null when the registration failed. */
    private record Registered(String incarnation, ActorRef<MailboxEntity.Command> entity) implements Msg {
    }

    private AccountWatcher() {
    }

    static Behavior<Msg> create(String account, ClusterSharding sharding, Duration refresh,
                                Consumer<MailboxEvent> sink) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            EntityRef<MailboxEntity.Command> entity = sharding.entityRefFor(MailboxEntity.TYPE_KEY, account);
            ActorRef<MailboxEvent> adapter = ctx.messageAdapter(MailboxEvent.class, Received::new);
            timers.startTimerWithFixedDelay(new Refresh(), refresh);
            ctx.getSelf().tell(new Refresh());
            String[] incarnation = {null};
            @SuppressWarnings("unchecked")
            ActorRef<MailboxEntity.Command>[] watched = new ActorRef[1];
            return Behaviors.receive(Msg.class)
                    .onMessage(Received.class, r -> {
                        sink.accept(r.event());
                        return Behaviors.same();
                    })
                    .onMessage(Refresh.class, r -> {
                        ctx.ask(MailboxEntity.Watching.class, entity, ASK_TIMEOUT,
                                reply -> new MailboxEntity.Watch(adapter, reply),
                                (ok, err) -> ok == null ? new Registered(null, null)
                                        : new Registered(ok.incarnation(), ok.entity()));
                        return Behaviors.same();
                    })
                    .onMessage(Registered.class, r -> {
                        if (r.incarnation() == null) {
                            ctx.getLog().warn("mailbox watch of {} not registered; retrying", account);
                            incarnation[0] = null;
                            ctx.getSelf().tell(new Refresh());
                        } else if (!r.incarnation().equals(incarnation[0])) {
                            incarnation[0] = r.incarnation();
                            if (watched[0] != null) {
                                ctx.unwatch(watched[0]);
                            }
                            watched[0] = r.entity();
                            if (watched[0] != null) {
                                ctx.watchWith(watched[0], new EntityGone());
                            }
                            sink.accept(new MailboxEvent.Resync(null));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(EntityGone.class, g -> {
                        // The next incarnation starts on the next message to the account, wherever sharding
                        // puts it: register there now rather than at the next periodic refresh, so changes
                        // made meanwhile reach this node's sessions within moments (Resync covers the gap).
                        watched[0] = null;
                        timers.startSingleTimer("rewatch", new Refresh(), REWATCH_DELAY);
                        return Behaviors.same();
                    })
                    .onMessage(Stop.class, s -> {
                        entity.tell(new MailboxEntity.Unwatch(adapter));
                        return Behaviors.stopped();
                    })
                    .build();
        }));
    }
}
