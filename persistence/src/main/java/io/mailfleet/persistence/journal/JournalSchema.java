package io.mailfleet.persistence.journal;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Creates the pekko-persistence-jdbc tables (journal, tags, snapshots, durable state) when missing.
 * pekko-persistence-jdbc never does this itself; this is idempotent and meant to run on every start,
 * before the first persistent entity.
 */
public final class JournalSchema {

    private JournalSchema() {
    }

    private static final int ATTEMPTS = 5;

    public static CompletionStage<Done> ensure(ActorSystem<?> system) {
        try {
            // fail with the storage key at fault before Slick reports a less helpful error
            StorageSettings.sharedDatabase(system.settings().config());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return attempt(system, 1);
    }

    /**
     * Nodes of a cluster starting together race on PostgreSQL: two concurrent CREATE TABLE IF NOT
     * EXISTS can fail with a duplicate-key error in the catalog. The loser simply tries again.
     */
    private static CompletionStage<Done> attempt(ActorSystem<?> system, int n) {
        return SchemaUtils.createIfNotExists(system).handle((done, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(done);
            }
            if (n >= ATTEMPTS) {
                return CompletableFuture.<Done>failedFuture(error);
            }
            CompletableFuture<Done> retry = new CompletableFuture<>();
            CompletableFuture.delayedExecutor(200L * n, java.util.concurrent.TimeUnit.MILLISECONDS).execute(() ->
                    attempt(system, n + 1).whenComplete((d, e) -> {
                        if (e != null) {
                            retry.completeExceptionally(e);
                        } else {
                            retry.complete(d);
                        }
                    }));
            return retry;
        }).thenCompose(s -> s);
    }
}
