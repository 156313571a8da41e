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

    /** Messages of the watcher. */
    sealed interface Msg permits Received, Stop, Refresh, Registered {
    }

    record Received(MailboxEvent event) implements Msg {
    }

    record Stop() implements Msg {
    }

    private record Refresh() implements Msg {
    }

    /** {@code incarnation} is null when the registration failed. */
    private record Registered(String incarnation) implements Msg {
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
            return Behaviors.receive(Msg.class)
                    .onMessage(Received.class, r -> {
                        sink.accept(r.event());
                        return Behaviors.same();
                    })
                    .onMessage(Refresh.class, r -> {
                        ctx.ask(MailboxEntity.Watching.class, entity, ASK_TIMEOUT,
                                reply -> new MailboxEntity.Watch(adapter, reply),
                                (ok, err) -> new Registered(ok == null ? null : ok.incarnation()));
                        return Behaviors.same();
                    })
                    .onMessage(Registered.class, r -> {
                        if (r.incarnation() == null) {
                            ctx.getLog().warn("mailbox watch of {} not registered; retrying", account);
                            incarnation[0] = null;
                            ctx.getSelf().tell(new Refresh());
                        } else if (!r.incarnation().equals(incarnation[0])) {
                            incarnation[0] = r.incarnation();
                            sink.accept(new MailboxEvent.Resync(null));
                        }
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
