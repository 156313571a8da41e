package io.mailfleet.cluster.quota;

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

/**
 * The quota warning level one account has reached (0, or a warning's percentage), a sharded
 * event-sourced entity keyed by the account: every node's {@link QuotaWatcher} reports the level it
 * sees, and only the first report of a higher level is told to warn, so a crossing is warned once in
 * the cluster however many nodes saw it. A lower level re-arms the warnings above it.
 */
public final class QuotaWarningEntity
        extends EventSourcedBehavior<QuotaWarningEntity.Command, QuotaWarningEntity.LevelChanged, QuotaWarningEntity.State> {

    /** Sharding type; the entity id is the lower-case account address. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "QuotaWarning");

    /** Messages the entity accepts. */
    public sealed interface Command permits Observe {
    }

    /** The usage is now at {@code level} (the highest warning percentage reached, 0 below all). */
    public record Observe(int level, ActorRef<Crossing> replyTo) implements Command {
    }

    /** {@code warn}: this report crossed a level upwards for the first time since it was last below it. */
    public record Crossing(boolean warn) {
    }

    /** Persisted: the level reached changed. */
    public record LevelChanged(int level) {
    }

    /** The level last reported. */
    public record State(int level) {
    }

    private QuotaWarningEntity(String account) {
        super(PersistenceId.of(TYPE_KEY.name(), account));
    }

    public static Behavior<Command> create(String account) {
        return Behaviors.setup(ctx -> new QuotaWarningEntity(account));
    }

    @Override
    public State emptyState() {
        return new State(0);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 1);
    }

    @Override
    public CommandHandler<Command, LevelChanged, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Observe.class, (s, c) -> {
                    if (c.level() == s.level()) {
                        return Effect().reply(c.replyTo(), new Crossing(false));
                    }
                    boolean up = c.level() > s.level();
                    return Effect().persist(new LevelChanged(c.level()))
                            .thenReply(c.replyTo(), st -> new Crossing(up));
                })
                .build();
    }

    @Override
    public EventHandler<State, LevelChanged> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(LevelChanged.class, (s, e) -> new State(e.level()))
                .build();
    }
}
