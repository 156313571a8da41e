package io.mailfleet.cluster.spamlist;

import io.mailfleet.core.service.SenderListStore;
import io.mailfleet.core.spam.SenderLists;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/** {@link SenderListStore} on the sharded {@link SenderListsEntity}. */
public final class ClusterSenderLists implements SenderListStore {

    private final ClusterSharding sharding;
    private final Duration timeout;

    private ClusterSenderLists(ClusterSharding sharding, Duration timeout) {
        this.sharding = sharding;
        this.timeout = timeout;
    }

    /** Registers the entity type on this node; each ask gives up after {@code timeout}. */
    public static ClusterSenderLists start(ActorSystem<?> system, Duration timeout) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(SenderListsEntity.TYPE_KEY, ctx -> SenderListsEntity.create(ctx.getEntityId())));
        return new ClusterSenderLists(sharding, timeout);
    }

    private EntityRef<SenderListsEntity.Command> ref(String account) {
        return sharding.entityRefFor(SenderListsEntity.TYPE_KEY, account.toLowerCase(Locale.ROOT));
    }

    @Override
    public CompletionStage<SenderLists> lists(String account) {
        return ref(account).<SenderListsEntity.Lists>ask(SenderListsEntity.GetLists::new, timeout)
                .thenApply(SenderListsEntity.Lists::lists);
    }

    @Override
    public CompletionStage<Boolean> add(String account, Which list, String entry) {
        return ref(account).<SenderListsEntity.Done>ask(r -> new SenderListsEntity.AddEntry(list == Which.BLOCK, entry, r),
                timeout).thenApply(d -> d.changed() > 0);
    }

    @Override
    public CompletionStage<Boolean> remove(String account, Which list, String entry) {
        return ref(account).<SenderListsEntity.Done>ask(
                r -> new SenderListsEntity.RemoveEntry(list == Which.BLOCK, entry, r), timeout).thenApply(d -> d.changed() > 0);
    }

    @Override
    public CompletionStage<Integer> clear(String account) {
        return ref(account).<SenderListsEntity.Done>ask(SenderListsEntity.Clear::new, timeout)
                .thenApply(SenderListsEntity.Done::changed);
    }
}
