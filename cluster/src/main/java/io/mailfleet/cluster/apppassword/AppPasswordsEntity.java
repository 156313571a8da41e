package io.mailfleet.cluster.apppassword;

import io.mailfleet.core.auth.AppPassword;
import io.mailfleet.core.service.AppPasswordStore;
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
 * The app passwords of one account (hashes only), a sharded event-sourced entity keyed by the account:
 * the one durable, cluster-wide place they live, whether the accounts themselves come from the
 * directory entity or from docker-mailserver's files.
 */
public final class AppPasswordsEntity
        extends EventSourcedBehavior<AppPasswordsEntity.Command, AppPasswordsEntity.Event, AppPasswordsEntity.State> {

    /** Sharding type; the entity id is the lower-case account address. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "AppPasswords");

    /** Messages the entity accepts. */
    public sealed interface Command permits ListPasswords, AddPassword, RevokePassword, RevokeAll {
    }

    public record ListPasswords(ActorRef<Passwords> replyTo) implements Command {
    }

    public record AddPassword(AppPassword password, ActorRef<Done> replyTo) implements Command {
    }

    public record RevokePassword(String name, ActorRef<Done> replyTo) implements Command {
    }

    public record RevokeAll(ActorRef<Done> replyTo) implements Command {
    }

    /** The account's app passwords. */
    public record Passwords(List<AppPassword> passwords) {
    }

    /** {@code changed}: how many were added or revoked (0 = nothing to do or refused). */
    public record Done(int changed) {
    }

    /** Persisted events. */
    public sealed interface Event permits Added, Revoked {
    }

    public record Added(AppPassword password) implements Event {
    }

    /** {@code names} revoked at once. */
    public record Revoked(List<String> names) implements Event {
    }

    /** The app passwords held. */
    public record State(List<AppPassword> passwords) {
        State add(AppPassword p) {
            List<AppPassword> l = new ArrayList<>(passwords);
            l.add(p);
            return new State(List.copyOf(l));
        }

        State without(List<String> names) {
            return new State(passwords.stream().filter(p -> !names.contains(p.name())).toList());
        }

        boolean has(String name) {
            return passwords.stream().anyMatch(p -> p.name().equals(name));
        }
    }

    private AppPasswordsEntity(String account) {
        super(PersistenceId.of(TYPE_KEY.name(), account));
    }

    public static Behavior<Command> create(String account) {
        return Behaviors.setup(ctx -> new AppPasswordsEntity(account));
    }

    @Override
    public State emptyState() {
        return new State(List.of());
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(50, 1);
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(ListPasswords.class, (s, c) -> Effect().reply(c.replyTo(), new Passwords(s.passwords())))
                .onCommand(AddPassword.class, (s, c) -> {
                    if (s.has(c.password().name()) || s.passwords().size() >= AppPasswordStore.MAX_PER_ACCOUNT) {
                        return Effect().reply(c.replyTo(), new Done(0));
                    }
                    return Effect().persist(new Added(c.password())).thenReply(c.replyTo(), st -> new Done(1));
                })
                .onCommand(RevokePassword.class, (s, c) -> {
                    if (!s.has(c.name())) {
                        return Effect().reply(c.replyTo(), new Done(0));
                    }
                    return Effect().persist(new Revoked(List.of(c.name()))).thenReply(c.replyTo(), st -> new Done(1));
                })
                .onCommand(RevokeAll.class, (s, c) -> {
                    if (s.passwords().isEmpty()) {
                        return Effect().reply(c.replyTo(), new Done(0));
                    }
                    List<String> names = s.passwords().stream().map(AppPassword::name).toList();
                    return Effect().persist(new Revoked(names)).thenReply(c.replyTo(), st -> new Done(names.size()));
                })
                .build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Added.class, (s, e) -> s.add(e.password()))
                .onEvent(Revoked.class, (s, e) -> s.without(e.names()))
                .build();
    }
}
