package io.mailfleet.cluster.classifier;

import io.mailfleet.core.spam.classifier.ClassifierModel;
import io.mailfleet.core.spam.classifier.Evidence;
import io.mailfleet.core.spam.classifier.LegacyClassifierModel;
import io.mailfleet.core.spam.classifier.ModelCounts;
import io.mailfleet.core.spam.classifier.ModelTable;
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
 */
public final class ClassifierEntity
        extends EventSourcedBehavior<ClassifierEntity.Command, ClassifierEntity.Learned, ClassifierModel> {

    /** Sharding type; the entity id is the model id ({@code global} or {@code account:<address>}). */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SpamClassifier");
    static final int SNAPSHOT_EVERY = 200;

    /** Messages the entity accepts. */
    public sealed interface Command permits Learn, Lookup, Judge {
    }

    /** Learns one message's distinct features; replies with the messages of that kind learned. */
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

    /** The persisted event: one message learned. */
    public record Learned(int[] features, boolean spam) {
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

    private ClassifierEntity(String model) {
        super(PersistenceId.of(TYPE_KEY.name(), model));
    }

    public static Behavior<Command> create(String model) {
        return Behaviors.setup(ctx -> new ClassifierEntity(model));
    }

    @Override
    public ClassifierModel emptyState() {
        return ClassifierModel.empty();
    }

    @Override
    public SnapshotAdapter<ClassifierModel> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(ClassifierModel state) {
                return state;
            }

            @Override
            public ClassifierModel fromJournal(Object from) {
                return fromSnapshot(from);
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
    public CommandHandler<Command, Learned, ClassifierModel> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Lookup.class, (s, c) -> Effect().reply(c.replyTo(), s.counts().counts(c.features())))
                .onCommand(Judge.class, (s, c) -> Effect().reply(c.replyTo(), s.evidence(c.features())))
                .onCommand(Learn.class, (s, c) -> Effect().persist(new Learned(c.features(), c.spam()))
                        .thenReply(c.replyTo(), st -> new LearnedCount(c.spam() ? st.learnedSpam() : st.learnedHam())))
                .build();
    }

    @Override
    public EventHandler<ClassifierModel, Learned> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Learned.class, (s, e) -> s.learn(e.features(), e.spam()))
                .build();
    }
}
