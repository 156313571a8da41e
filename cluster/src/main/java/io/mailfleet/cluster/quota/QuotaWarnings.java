package io.mailfleet.cluster.quota;

import io.mailfleet.cluster.node.NodeActors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

import java.util.List;
import java.util.function.ToLongFunction;

/** Starts the quota warnings on a node: the {@link QuotaWarningEntity} type and this node's {@link QuotaWatcher}. */
public final class QuotaWarnings {

    private QuotaWarnings() {
    }

    /**
     * @param quotaOf the effective quota of an account in bytes, 0 = unlimited
     * @param levels  the warning percentages
     */
    public static void start(ActorSystem<?> system, ToLongFunction<String> quotaOf, List<Integer> levels,
                             QuotaWatcher.WarningSender sender) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(QuotaWarningEntity.TYPE_KEY, ctx -> QuotaWarningEntity.create(ctx.getEntityId())));
        system.systemActorOf(NodeActors.restarting(QuotaWatcher.create(sharding, quotaOf, levels, sender)),
                "quota-warnings", Props.empty());
    }
}
