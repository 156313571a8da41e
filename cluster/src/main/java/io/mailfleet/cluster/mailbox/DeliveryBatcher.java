package io.mailfleet.cluster.mailbox;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.util.ArrayList;
import java.util.List;

/**
 * Sits in front of a {@link MailboxEntity} and turns the {@link MailboxEntity.Deliver} commands that
 * arrive while a delivery write is in flight into one {@link MailboxEntity.DeliverBatch}: one journal
 * write for a whole burst instead of one per message.
 *
 * <p>An event-sourced behaviour stashes every command that arrives during a write, and its stash has a
 * fixed capacity: a burst of deliveries to one account used to overflow it and the overflow was
 * dropped. Here the waiting deliveries are held before the stash, so at most one batch of them is
 * ever in it. This buffer is bounded by the senders: each queue partition keeps only a few
 * deliveries per mailbox in flight (see {@code DeliveryGate}).
 */
final class DeliveryBatcher extends BehaviorInterceptor<MailboxEntity.Command, MailboxEntity.Command> {

    /** Most deliveries written in one journal write (bounds the size of one write). */
    static final int MAX_BATCH = 256;

    private final List<MailboxEntity.Deliver> waiting = new ArrayList<>();
    private boolean writing;

    DeliveryBatcher() {
        super(MailboxEntity.Command.class);
    }

    /** {@code entity} behind a fresh batcher (one per actor: the batcher holds that actor's waiting deliveries). */
    static Behavior<MailboxEntity.Command> wrap(Behavior<MailboxEntity.Command> entity) {
        return Behaviors.intercept(DeliveryBatcher::new, entity);
    }

    @Override
    public Behavior<MailboxEntity.Command> aroundReceive(TypedActorContext<MailboxEntity.Command> ctx,
                                                         MailboxEntity.Command msg,
                                                         ReceiveTarget<MailboxEntity.Command> target) {
        if (msg instanceof MailboxEntity.Deliver d) {
            waiting.add(d);
            return writing ? Behaviors.same() : next(ctx, target);
        }
        if (msg instanceof MailboxEntity.DeliveriesWritten) {
            writing = false;
            return waiting.isEmpty() ? Behaviors.same() : next(ctx, target);
        }
        return target.apply(ctx, msg);
    }

    /** Hands the oldest waiting deliveries to the entity as one batch. */
    private Behavior<MailboxEntity.Command> next(TypedActorContext<MailboxEntity.Command> ctx,
                                                 ReceiveTarget<MailboxEntity.Command> target) {
        List<MailboxEntity.Deliver> batch;
        if (waiting.size() <= MAX_BATCH) {
            batch = List.copyOf(waiting);
            waiting.clear();
        } else {
            List<MailboxEntity.Deliver> head = waiting.subList(0, MAX_BATCH);
            batch = List.copyOf(head);
            head.clear();
        }
        writing = true;
        return target.apply(ctx, new MailboxEntity.DeliverBatch(batch));
    }
}
