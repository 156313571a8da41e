package io.mailfleet.persistence.journal;

import com.typesafe.config.Config;
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
        Config config = system.settings().config();
        try {
            checkProfile(config);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        return SchemaUtils.createIfNotExists(system);
    }

    /** Catches an actor system built without {@link StorageConfig#load}, where the journal setting did not apply. */
    static void checkProfile(Config config) {
        if (!config.hasPath(StorageConfig.JOURNAL) || !config.hasPath(StorageConfig.SHARED_DB + ".profile")) {
            return;
        }
        String journal = config.getString(StorageConfig.JOURNAL);
        String profile = config.getString(StorageConfig.SHARED_DB + ".profile");
        boolean matches = switch (journal) {
            case "h2" -> profile.contains("H2Profile");
            case "postgres" -> profile.contains("PostgresProfile");
            default -> false;
        };
        if (!matches) {
            throw new IllegalStateException(StorageConfig.JOURNAL + " = '" + journal + "' but " + StorageConfig.SHARED_DB
                    + ".profile is " + profile + "; build the actor system's config with StorageConfig.load");
        }
    }
}
