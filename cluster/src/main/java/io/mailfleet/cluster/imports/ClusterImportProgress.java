package io.mailfleet.cluster.imports;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The IMAP import marks of the cluster, on the sharded {@link ImportProgressEntity}. */
public final class ClusterImportProgress {

    private final ClusterSharding sharding;
    private final Duration timeout;

    private ClusterImportProgress(ClusterSharding sharding, Duration timeout) {
        this.sharding = sharding;
        this.timeout = timeout;
    }

    /** Registers the entity type on this node; each ask gives up after {@code timeout}. */
    public static ClusterImportProgress start(ActorSystem<?> system, Duration timeout) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(ImportProgressEntity.TYPE_KEY, ctx -> ImportProgressEntity.create(ctx.getEntityId())));
        return new ClusterImportProgress(sharding, timeout);
    }

    private EntityRef<ImportProgressEntity.Command> ref(String account) {
        return sharding.entityRefFor(ImportProgressEntity.TYPE_KEY, account.toLowerCase(Locale.ROOT));
    }

    /** The marks of {@code account}'s imports by folder key. */
    public CompletionStage<Map<String, ImportProgressEntity.Mark>> marks(String account) {
        return ref(account).<ImportProgressEntity.Marks>ask(ImportProgressEntity.GetMarks::new, timeout)
                .thenApply(ImportProgressEntity.Marks::marks);
    }

    /** Records that {@code folder} is settled up to {@code uid} under {@code uidValidity}; completes once persisted. */
    public CompletionStage<Map<String, ImportProgressEntity.Mark>> advance(String account, String folder,
                                                                         long uidValidity, long uid) {
        return ref(account).<ImportProgressEntity.Marks>ask(
                        r -> new ImportProgressEntity.Advance(folder, uidValidity, uid, r), timeout)
                .thenApply(ImportProgressEntity.Marks::marks);
    }
}
