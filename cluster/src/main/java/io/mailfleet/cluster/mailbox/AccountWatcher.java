package io.mailfleet.cluster.mailbox;

import io.mailfleet.core.mailbox.MailboxEvent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

import java.util.function.Consumer;

/** A node-local subscriber to one account's change topic; stops (with its topic actor) on {@link Stop}. */
final class AccountWatcher {

    /** Messages of the watcher. */
    sealed interface Msg permits Received, Stop {
    }

    record Received(MailboxEvent event) implements Msg {
    }

    record Stop() implements Msg {
    }

    private AccountWatcher() {
    }

    static Behavior<Msg> create(String account, Consumer<MailboxEvent> sink) {
        return Behaviors.setup(ctx -> {
            ActorRef<Topic.Command<MailboxEvent>> topic =
                    ctx.spawn(Topic.create(MailboxEvent.class, MailboxEntity.topicName(account)), "topic");
            ActorRef<MailboxEvent> adapter = ctx.messageAdapter(MailboxEvent.class, Received::new);
            topic.tell(Topic.subscribe(adapter));
            return Behaviors.receive(Msg.class)
                    .onMessage(Received.class, r -> {
                        sink.accept(r.event());
                        return Behaviors.same();
                    })
                    .onMessage(Stop.class, s -> Behaviors.stopped())
                    .build();
        });
    }
}
