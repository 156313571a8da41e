package io.mailfleet.cluster.spamlist;

import io.mailfleet.core.service.SenderListStore;
import io.mailfleet.core.spam.SenderLists;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import java.util.ArrayList;
import java.util.List;

/**
 * The sender allow and block lists of one account, a sharded event-sourced entity keyed by the account:
 * every node's end-of-data spam decision reads the same lists, and a change made through any node's API
 * counts everywhere at once.
 */
public final class SenderListsEntity
        extends EventSourcedBehavior<SenderListsEntity.Command, SenderListsEntity.Event, SenderListsEntity.State> {

    /** Sharding type; the entity id is the lower-case account address. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SenderLists");

    /** Messages the entity accepts. */
    public sealed interface Command permits GetLists, AddEntry, RemoveEntry, Clear {
    }

    public record GetLists(ActorRef<Lists> replyTo) implements Command {
    }

    /** {@code block}: the block list, else the allow list; {@code entry} is normalized already. */
    public record AddEntry(boolean block, String entry, ActorRef<Done> replyTo) implements Command {
    }

    public record RemoveEntry(boolean block, String entry, ActorRef<Done> replyTo) implements Command {
    }

    public record Clear(ActorRef<Done> replyTo) implements Command {
    }

    /** The account's lists. */
    public record Lists(SenderLists lists) {
    }

    /** {@code changed}: how many entries were added or removed (0 = nothing to do or refused). */
    public record Done(int changed) {
    }

    /** Persisted events. */
    public sealed interface Event permits Added, Removed, Cleared {
    }

    public record Added(boolean block, String entry) implements Event {
    }

    public record Removed(boolean block, String entry) implements Event {
    }

    public record Cleared() implements Event {
    }

    /** The lists held. */
    public record State(SenderLists lists) {
        List<String> of(boolean block) {
            return block ? lists.block() : lists.allow();
        }

        State with(boolean block, List<String> entries) {
            return new State(block ? new SenderLists(lists.allow(), entries) : new SenderLists(entries, lists.block()));
        }

        State add(boolean block, String entry) {
            List<String> l = new ArrayList<>(of(block));
            l.add(entry);
            return with(block, l);
        }

        State remove(boolean block, String entry) {
            return with(block, of(block).stream().filter(e -> !e.equals(entry)).toList());
        }
    }

    private SenderListsEntity(String account) {
        super(PersistenceId.of(TYPE_KEY.name(), account));
    }

    public static Behavior<Command> create(String account) {
        return Behaviors.setup(ctx -> new SenderListsEntity(account));
    }

    @Override
    public State emptyState() {
        return new State(SenderLists.EMPTY);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 1);
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(GetLists.class, (s, c) -> Effect().reply(c.replyTo(), new Lists(s.lists())))
                .onCommand(AddEntry.class, (s, c) -> {
                    List<String> l = s.of(c.block());
                    if (l.contains(c.entry()) || l.size() >= SenderListStore.MAX_PER_LIST) {
                        return Effect().reply(c.replyTo(), new Done(0));
                    }
                    return Effect().persist(new Added(c.block(), c.entry())).thenReply(c.replyTo(), st -> new Done(1));
                })
                .onCommand(RemoveEntry.class, (s, c) -> {
                    if (!s.of(c.block()).contains(c.entry())) {
                        return Effect().reply(c.replyTo(), new Done(0));
                    }
                    return Effect().persist(new Removed(c.block(), c.entry())).thenReply(c.replyTo(), st -> new Done(1));
                })
                .onCommand(Clear.class, (s, c) -> {
                    int n = s.lists().allow().size() + s.lists().block().size();
                    if (n == 0) {
                        return Effect().reply(c.replyTo(), new Done(0));
                    }
                    return Effect().persist(new Cleared()).thenReply(c.replyTo(), st -> new Done(n));
                })
                .build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Added.class, (s, e) -> s.add(e.block(), e.entry()))
                .onEvent(Removed.class, (s, e) -> s.remove(e.block(), e.entry()))
                .onEvent(Cleared.class, (s, e) -> new State(SenderLists.EMPTY))
                .build();
    }
}
