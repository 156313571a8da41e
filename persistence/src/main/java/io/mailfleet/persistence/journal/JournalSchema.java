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

    public static CompletionStage<Done> ensure(ActorSystem<?> system) {
        try {
            // fail with the storage key at fault before Slick reports a less helpful error
            StorageSettings.sharedDatabase(system.settings().config());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return SchemaUtils.createIfNotExists(system);
    }
}
