package io.mailfleet.cluster.queue;

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

import java.time.Duration;
import java.time.Instant;

/**
 * The vacation (RFC 5230) and duplicate (RFC 7352) memory of one account, a sharded event-sourced
 * entity keyed by the account address: one owner in the cluster, so two nodes delivering to the same
 * account agree, and the memory survives restarts.
 */
public final class SieveLogEntity extends EventSourcedBehavior<SieveLogEntity.Command, SieveLogEntity.Event, SieveLogState> {

    /** Sharding type; the entity id is the lower-case account address. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SieveLog");

    /** Messages the entity accepts; each is answered with an {@link Answer}. */
    public sealed interface Command permits VacationCheck, DuplicateCheck, DuplicateTrack {
    }

    /**
     * May {@code sender} get a reply for {@code handle}? Yes (and recorded for {@code period}) unless a reply
     * was recorded within the period by another delivery; the delivery that recorded it gets yes again.
     */
    public record VacationCheck(String handle, String sender, Duration period, String decisionKey,
                                ActorRef<Answer> replyTo) implements Command {
    }

    /** Was {@code id} tracked under {@code handle} (by another delivery) and not expired yet? */
    public record DuplicateCheck(String handle, String id, String decisionKey, ActorRef<Answer> replyTo)
            implements Command {
    }

    /** Track {@code id} for {@code period}; {@code last} restarts an existing tracking period. */
    public record DuplicateTrack(String handle, String id, Duration period, boolean last, String decisionKey,
                                 ActorRef<Answer> replyTo) implements Command {
    }

    /** Reply to every command. */
    public record Answer(boolean yes) {
    }

    /** Persisted events. */
    public sealed interface Event permits VacationRecorded, DuplicateTracked {
    }

    public record VacationRecorded(String key, Instant until, String decisionKey, Instant at) implements Event {
    }

    public record DuplicateTracked(String key, Instant until, String decisionKey, Instant at) implements Event {
    }

    private SieveLogEntity(String account) {
        super(PersistenceId.of(TYPE_KEY.name(), account));
    }

    public static Behavior<Command> create(String account) {
        return Behaviors.setup(ctx -> new SieveLogEntity(account));
    }

    /** Vacation senders compare case-insensitively; duplicate ids exactly. */
    static String key(String handle, String value, boolean caseless) {
        return handle + "\0" + (caseless ? value.toLowerCase(java.util.Locale.ROOT) : value);
    }

    @Override
    public SieveLogState emptyState() {
        return SieveLogState.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(200, 2);
    }

    @Override
    public CommandHandler<Command, Event, SieveLogState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(VacationCheck.class, (s, c) -> {
                    Instant now = Instant.now();
                    String k = key(c.handle(), c.sender(), true);
                    SieveLogState.Mark m = s.vacations().get(k);
                    if (m != null && m.until().isAfter(now)) {
                        return Effect().reply(c.replyTo(), new Answer(m.decisionKey().equals(c.decisionKey())));
                    }
                    return Effect().persist(new VacationRecorded(k, now.plus(c.period()), c.decisionKey(), now))
                            .thenReply(c.replyTo(), st -> new Answer(true));
                })
                .onCommand(DuplicateCheck.class, (s, c) -> {
                    SieveLogState.Mark m = s.duplicates().get(key(c.handle(), c.id(), false));
                    boolean seen = m != null && m.until().isAfter(Instant.now()) && !m.decisionKey().equals(c.decisionKey());
                    return Effect().reply(c.replyTo(), new Answer(seen));
                })
                .onCommand(DuplicateTrack.class, (s, c) -> {
                    Instant now = Instant.now();
                    String k = key(c.handle(), c.id(), false);
                    SieveLogState.Mark m = s.duplicates().get(k);
                    if (m != null && m.until().isAfter(now) && !c.last()) {
                        return Effect().reply(c.replyTo(), new Answer(true));
                    }
                    return Effect().persist(new DuplicateTracked(k, now.plus(c.period()), c.decisionKey(), now))
                            .thenReply(c.replyTo(), st -> new Answer(true));
                })
                .build();
    }

    @Override
    public EventHandler<SieveLogState, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(VacationRecorded.class, (s, e) ->
                        s.withVacation(e.key(), new SieveLogState.Mark(e.until(), e.decisionKey()), e.at()))
                .onEvent(DuplicateTracked.class, (s, e) ->
                        s.withDuplicate(e.key(), new SieveLogState.Mark(e.until(), e.decisionKey()), e.at()))
                .build();
    }
}
