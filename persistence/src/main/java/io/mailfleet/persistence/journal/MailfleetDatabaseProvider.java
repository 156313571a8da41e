package io.mailfleet.persistence.journal;

import com.typesafe.config.Config;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.jdbc.db.DefaultSlickDatabaseProvider;
import org.apache.pekko.persistence.jdbc.db.LazySlickDatabase;
import org.apache.pekko.persistence.jdbc.db.SlickDatabase;
import org.apache.pekko.persistence.jdbc.db.SlickDatabaseProvider;

/**
 * Slick database provider for pekko-persistence-jdbc: a plugin configured with
 * {@code use-shared-db = "default"} gets the one pool described by {@code mailfleet.storage.*}
 * (see {@link StorageSettings}); any other plugin configuration is served as usual.
 */
public final class MailfleetDatabaseProvider implements SlickDatabaseProvider {

    /** The shared database name the Mailfleet plugins use. */
    public static final String SHARED = "default";

    private final ActorSystem system;
    private final DefaultSlickDatabaseProvider fallback;
    private SlickDatabase shared;

    public MailfleetDatabaseProvider(ActorSystem system) {
        this.system = system;
        this.fallback = new DefaultSlickDatabaseProvider(system);
    }

    @Override
    public SlickDatabase database(Config pluginConfig) {
        if (pluginConfig.hasPath("use-shared-db") && SHARED.equals(pluginConfig.getString("use-shared-db"))) {
            return shared();
        }
        return fallback.database(pluginConfig);
    }

    private synchronized SlickDatabase shared() {
        if (shared == null) {
            // LazySlickDatabase opens the pool on first use and closes it when the actor system terminates
            shared = new LazySlickDatabase(StorageSettings.sharedDatabase(system.settings().config()), system);
        }
        return shared;
    }
}
