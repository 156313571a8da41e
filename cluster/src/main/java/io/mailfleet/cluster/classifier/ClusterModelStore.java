package io.mailfleet.cluster.classifier;

import io.mailfleet.core.spam.LearnOutcome;
import io.mailfleet.core.spam.classifier.Evidence;
import io.mailfleet.core.spam.classifier.Features;
import io.mailfleet.core.spam.classifier.ModelCounts;
import io.mailfleet.core.spam.classifier.ModelStore;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** {@link ModelStore} on the sharded {@link ClassifierEntity}. */
public final class ClusterModelStore implements ModelStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ClusterSharding sharding;

    private ClusterModelStore(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    /** Registers the entity type on this node, each model remembering the default number of learned messages. */
    public static ClusterModelStore start(ActorSystem<?> system) {
        return start(system, ClassifierEntity.DEFAULT_REMEMBER);
    }

    /** Registers the entity type on this node, each model remembering the last {@code remember} messages it learned. */
    public static ClusterModelStore start(ActorSystem<?> system, int remember) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(ClassifierEntity.TYPE_KEY, ctx -> ClassifierEntity.create(ctx.getEntityId(), remember)));
        return new ClusterModelStore(sharding);
    }

    private EntityRef<ClassifierEntity.Command> ref(String model) {
        return sharding.entityRefFor(ClassifierEntity.TYPE_KEY, model);
    }

    @Override
    public CompletionStage<ModelCounts> counts(String model, int[] features) {
        int[] f = valid(features);
        return ref(model).ask(r -> new ClassifierEntity.Lookup(f, r), TIMEOUT);
    }

    @Override
    public CompletionStage<Evidence> evidence(String model, int[] features) {
        int[] f = valid(features);
        return ref(model).ask(r -> new ClassifierEntity.Judge(f, r), TIMEOUT);
    }

    @Override
    public CompletionStage<Long> learn(String model, int[] features, boolean spam) {
        int[] f = valid(features);
        return ref(model).<ClassifierEntity.LearnedCount>ask(r -> new ClassifierEntity.Learn(f, spam, r), TIMEOUT)
                .thenApply(ClassifierEntity.LearnedCount::learned);
    }

    @Override
    public CompletionStage<LearnOutcome> learnOnce(String model, int[] features, boolean spam) {
        int[] f = valid(features);
        return ref(model).<ClassifierEntity.LearnReply>ask(r -> new ClassifierEntity.LearnOnce(f, spam, r), TIMEOUT)
                .thenApply(ClassifierEntity.LearnReply::outcome);
    }

    /** Hostile callers cannot send more than a message's worth of features or buckets outside the table. */
    private static int[] valid(int[] features) {
        return Features.distinct(features, features.length);
    }
}
