package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.cache.UsageCache;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Access to the sharded {@link MailboxEntity} instances and this node's quota usage cache. */
public final class ClusterMailboxes {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ClusterSharding sharding;
    private final UsageCache usage;

    private ClusterMailboxes(ClusterSharding sharding, UsageCache usage) {
        this.sharding = sharding;
        this.usage = usage;
    }

    /** Registers the mailbox entity type on this node and starts the usage cache feed. */
    public static ClusterMailboxes start(ActorSystem<?> system) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(MailboxEntity.TYPE_KEY, ctx -> MailboxEntity.create(ctx.getEntityId()))
                .withStopMessage(new MailboxEntity.Stop()));
        UsageCache usage = new UsageCache();
        system.systemActorOf(io.mailfleet.cluster.node.NodeActors.restarting(usage.subscriber()), "usage-cache",
                Props.empty());
        return new ClusterMailboxes(sharding, usage);
    }

    /** Quota usage of an account as last replicated to this node. */
    public long usedBytes(String account) {
        return usage.usedBytes(account);
    }

    public CompletionStage<MailboxEntity.Status> status(String account) {
        return sharding.entityRefFor(MailboxEntity.TYPE_KEY, account).ask(MailboxEntity.GetStatus::new, TIMEOUT);
    }

    /** Expunges every message of the account's mailbox; completes with how many were removed. */
    public CompletionStage<Integer> purge(String account) {
        return sharding.entityRefFor(MailboxEntity.TYPE_KEY, account)
                .<MailboxEntity.Purged>ask(MailboxEntity.Purge::new, TIMEOUT)
                .thenApply(MailboxEntity.Purged::messages);
    }

    public CompletionStage<List<MessageMeta>> messages(String account, String folder) {
        return sharding.entityRefFor(MailboxEntity.TYPE_KEY, account)
                .<MailboxEntity.MessageList>ask(r -> new MailboxEntity.ListMessages(folder, r), TIMEOUT)
                .thenApply(MailboxEntity.MessageList::messages);
    }
}
