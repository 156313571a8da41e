package io.mailfleet.cluster.greylist;

import io.mailfleet.core.greylist.Greylist;
import io.mailfleet.core.greylist.GreylistDecision;
import io.mailfleet.core.greylist.GreylistPolicy;
import io.mailfleet.core.greylist.Triplet;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** {@link Greylist} on the sharded {@link GreylistEntity}: every node asks the same owner of a client network. */
public final class ClusterGreylist implements Greylist {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    private final ClusterSharding sharding;

    private ClusterGreylist(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    /** Registers the entity type on this node. Every node must use the same policy. */
    public static ClusterGreylist start(ActorSystem<?> system, GreylistPolicy policy) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(GreylistEntity.TYPE_KEY,
                        ctx -> GreylistEntity.create(ctx.getEntityId(), policy, Clock.systemUTC()))
                .withStopMessage(new GreylistEntity.Stop()));
        return new ClusterGreylist(sharding);
    }

    @Override
    public CompletionStage<GreylistDecision> decide(Triplet triplet, boolean suspect, boolean provisional) {
        return sharding.entityRefFor(GreylistEntity.TYPE_KEY, triplet.clientNetwork())
                .<GreylistEntity.Decided>ask(r -> new GreylistEntity.Decide(triplet.senderRecipient(), suspect,
                                provisional, r),
                        ASK_TIMEOUT)
                .thenApply(GreylistEntity.Decided::decision);
    }

    @Override
    public CompletionStage<ClientView> client(String clientNetwork) {
        return sharding.entityRefFor(GreylistEntity.TYPE_KEY, clientNetwork)
                .ask(GreylistEntity.GetClient::new, ASK_TIMEOUT);
    }
}
