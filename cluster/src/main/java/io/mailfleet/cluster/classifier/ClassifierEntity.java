package io.mailfleet.cluster.classifier;

import io.mailfleet.core.spam.LearnOutcome;
import io.mailfleet.core.spam.classifier.ClassifierModel;
import io.mailfleet.core.spam.classifier.Evidence;
import io.mailfleet.core.spam.classifier.LearnedMessages;
import io.mailfleet.core.spam.classifier.LegacyClassifierModel;
import io.mailfleet.core.spam.classifier.ModelCounts;
import io.mailfleet.core.spam.classifier.ModelTable;
import io.mailfleet.core.spam.classifier.Relearning;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import java.util.Arrays;

/**
 * One classifier model (the global one or an account's), a sharded event-sourced entity: each learned
 * message is an event holding its hashed features; a snapshot (the bounded Bayes table, the regression's
 * weights and per-bucket squared gradients, up to 4 MB) every {@value #SNAPSHOT_EVERY} events keeps recovery short. Every node asks the same
 * entity, so every node classifies alike and learning anywhere counts everywhere. A snapshot stored before
 * the regression existed (a {@link ModelTable}) loads as its counts with an empty regression, one stored
 * before per-bucket learning rates (a {@link LegacyClassifierModel}) as its counts and weights.
 *
 * <p>The entity remembers the digests of the last {@code remember} messages it learned
 * ({@link LearnedMessages}): a message learned again as the same kind is skipped, one learned as the other
 * kind is a {@link Relearned} event that undoes the earlier learning ({@link Relearning}). The decision is
 * taken when the command arrives and recorded in the event, so replaying the journal rebuilds the live
 * state exactly whatever the record held.
 */
public final class ClassifierEntity
        extends EventSourcedBehavior<ClassifierEntity.Command, ClassifierEntity.Event, ClassifierState> {

    /** Sharding type; the entity id is the model id ({@code global} or {@code account:<address>}). */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SpamClassifier");
    static final int SNAPSHOT_EVERY = 200;
    /** The messages remembered per model unless configured ({@code mailfleet.spam-scorer.bayes.learn-cache}). */
    public static final int DEFAULT_REMEMBER = 10_000;

    /** Messages the entity accepts. */
    public sealed interface Command permits Learn, LearnOnce, Lookup, Judge {
    }

    /** What the entity persists. */
    public sealed interface Event permits Learned, Relearned {
    }

    /**
     * Learns one message's distinct features unless this model learned it already (same kind: skipped;
     * other kind: relearned); replies what it did and the messages of each kind learned.
     */
    public record LearnOnce(int[] features, boolean spam, ActorRef<LearnReply> replyTo) implements Command {
        @Override
        public boolean equals(Object o) {
            return o instanceof LearnOnce l && Arrays.equals(features, l.features) && spam == l.spam
                    && replyTo.equals(l.replyTo);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(features) * 31 + Boolean.hashCode(spam);
        }
    }

    /** The reply to {@link LearnOnce}. */
    public record LearnReply(LearnOutcome outcome, long learnedSpam, long learnedHam) {
    }

    /** The persisted event: a message learned as the other kind before, relearned as {@code spam}. */
    public record Relearned(int[] features, boolean spam) implements Event {
        @Override
        public boolean equals(Object o) {
            return o instanceof Relearned l && Arrays.equals(features, l.features) && spam == l.spam;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(features) * 31 + Boolean.hashCode(spam);
        }

        @Override
        public String toString() {
            return "Relearned[features=" + features.length + ", spam=" + spam + "]";
        }
    }

    /** As {@link LearnOnce}, replying with the messages of that kind learned (the form before the record of learned messages). */
    public record Learn(int[] features, boolean spam, ActorRef<LearnedCount> replyTo) implements Command {
        @Override
        public boolean equals(Object o) {
            return o instanceof Learn l && Arrays.equals(features, l.features) && spam == l.spam
                    && replyTo.equals(l.replyTo);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(features) * 31 + Boolean.hashCode(spam);
        }
    }

    /** Asks the counts of some features. */
    public record Lookup(int[] features, ActorRef<ModelCounts> replyTo) implements Command {
        @Override
        public boolean equals(Object o) {
            return o instanceof Lookup l && Arrays.equals(features, l.features) && replyTo.equals(l.replyTo);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(features);
        }
    }

    /** Asks what the Bayes counts and the regression know about some features (the classifier's question). */
    public record Judge(int[] features, ActorRef<Evidence> replyTo) implements Command {
        @Override
        public boolean equals(Object o) {
            return o instanceof Judge j && Arrays.equals(features, j.features) && replyTo.equals(j.replyTo);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(features);
        }
    }

    /** The reply to {@link Learn}. */
    public record LearnedCount(long learned) {
    }

    /** The persisted event: one message learned (and, since the record of learned messages, remembered). */
    public record Learned(int[] features, boolean spam) implements Event {
        @Override
        public boolean equals(Object o) {
            return o instanceof Learned l && Arrays.equals(features, l.features) && spam == l.spam;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(features) * 31 + Boolean.hashCode(spam);
        }

        @Override
        public String toString() {
            return "Learned[features=" + features.length + ", spam=" + spam + "]";
        }
    }

    private final int remember;

    private ClassifierEntity(String model, int remember) {
        super(PersistenceId.of(TYPE_KEY.name(), model));
        this.remember = remember;
    }

    public static Behavior<Command> create(String model) {
        return create(model, DEFAULT_REMEMBER);
    }

    /** The model {@code model}, remembering the last {@code remember} messages it learned (0: none). */
    public static Behavior<Command> create(String model, int remember) {
        return Behaviors.setup(ctx -> new ClassifierEntity(model, remember));
    }

    @Override
    public ClassifierState emptyState() {
        return ClassifierState.empty();
    }

    @Override
    public SnapshotAdapter<ClassifierState> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(ClassifierState state) {
                return state;
            }

            @Override
            public ClassifierState fromJournal(Object from) {
                return from instanceof ClassifierState s ? s : ClassifierState.of(fromSnapshot(from));
            }
        };
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
    }

    /**
     * A stored snapshot as the state: a {@link ModelTable} from before the regression becomes its counts, a
     * {@link LegacyClassifierModel} from before per-bucket learning rates its counts and weights.
     */
    static ClassifierModel fromSnapshot(Object stored) {
        if (stored instanceof ModelTable old) {
            return ClassifierModel.of(old);
        }
        return stored instanceof LegacyClassifierModel old ? ClassifierModel.of(old) : (ClassifierModel) stored;
    }

    @Override
    public CommandHandler<Command, Event, ClassifierState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Lookup.class, (s, c) -> Effect().reply(c.replyTo(), s.model().counts().counts(c.features())))
                .onCommand(Judge.class, (s, c) -> Effect().reply(c.replyTo(), s.model().evidence(c.features())))
                .onCommand(LearnOnce.class, (s, c) -> learn(s, c.features(), c.spam(), c.replyTo(),
                        (outcome, st) -> new LearnReply(outcome, st.model().learnedSpam(), st.model().learnedHam())))
                .onCommand(Learn.class, (s, c) -> learn(s, c.features(), c.spam(), c.replyTo(),
                        (outcome, st) -> new LearnedCount(c.spam() ? st.model().learnedSpam() : st.model().learnedHam())))
                .build();
    }

    /** Skips a message learned as this kind already, relearns one learned as the other, learns a new one. */
    private <R> Effect<Event, ClassifierState> learn(ClassifierState s, int[] features, boolean spam, ActorRef<R> replyTo,
                                                     java.util.function.BiFunction<LearnOutcome, ClassifierState, R> reply) {
        Boolean was = remember > 0 ? s.learned().learnedAs(LearnedMessages.digest(features)) : null;
        if (was == null) {
            return Effect().persist((Event) new Learned(features, spam))
                    .thenReply(replyTo, st -> reply.apply(LearnOutcome.LEARNED, st));
        }
        if (was == spam) {
            return Effect().reply(replyTo, reply.apply(LearnOutcome.ALREADY_LEARNED, s));
        }
        return Effect().persist((Event) new Relearned(features, spam))
                .thenReply(replyTo, st -> reply.apply(LearnOutcome.RELEARNED, st));
    }

    @Override
    public EventHandler<ClassifierState, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Learned.class, (s, e) -> new ClassifierState(s.model().learn(e.features(), e.spam()),
                        remembered(s, e.features(), e.spam())))
                .onEvent(Relearned.class, (s, e) -> new ClassifierState(
                        Relearning.relearn(s.model(), e.features(), e.spam()), remembered(s, e.features(), e.spam())))
                .build();
    }

    /** The record of learned messages with this one as the newest; an entry past {@code remember} falls out. */
    private LearnedMessages remembered(ClassifierState s, int[] features, boolean spam) {
        return remember > 0 ? s.learned().remember(LearnedMessages.digest(features), spam, remember)
                : LearnedMessages.empty();
    }
}
