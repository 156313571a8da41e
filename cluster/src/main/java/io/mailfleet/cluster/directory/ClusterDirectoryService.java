package io.mailfleet.cluster.directory;

import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryException;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.service.DirectoryService;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** {@link DirectoryService} on top of the sharded {@link DirectoryEntity} and this node's {@link DirectoryCache}. */
public final class ClusterDirectoryService implements DirectoryService {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterSharding sharding;
    private final DirectoryCache cache;
    private volatile boolean ready;

    private ClusterDirectoryService(ClusterSharding sharding, DirectoryCache cache) {
        this.sharding = sharding;
        this.cache = cache;
    }

    /** Registers the entity type on this node and starts the cache feed. */
    public static ClusterDirectoryService start(ActorSystem<?> system) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(DirectoryEntity.TYPE_KEY, ctx -> DirectoryEntity.create(ctx.getEntityId())));
        DirectoryCache cache = new DirectoryCache();
        system.systemActorOf(io.mailfleet.cluster.node.NodeActors.restarting(cache.subscriber()), "directory-cache",
                org.apache.pekko.actor.typed.Props.empty());
        return new ClusterDirectoryService(sharding, cache);
    }

    @Override
    public DirectoryView view() {
        return cache.view();
    }

    @Override
    public CompletionStage<Void> apply(DirectoryChange change) {
        return sharding.entityRefFor(DirectoryEntity.TYPE_KEY, change.domain())
                .<DirectoryEntity.ChangeResult>ask(reply -> new DirectoryEntity.ApplyChange(change, reply), ASK_TIMEOUT)
                .thenApply(result -> {
                    if (!result.accepted()) {
                        throw new DirectoryException(result.code(), result.message());
                    }
                    // Read-your-writes on this node, without waiting for the replicator's notification.
                    cache.merge(List.of(result.state()));
                    return null;
                });
    }

    @Override
    public boolean ready() {
        return ready;
    }

    /** Called once the warm-up has loaded every domain found in the journal. */
    public void markReady() {
        ready = true;
    }

    /** Domains whose state has reached this node's cache. */
    public java.util.Set<String> cachedDomains() {
        return cache.knownDomains();
    }

    /** Starts the entity for a domain so it recovers and republishes its state into the caches. */
    public void wake(String domain) {
        sharding.entityRefFor(DirectoryEntity.TYPE_KEY, domain).tell(new DirectoryEntity.Wake());
    }
}
