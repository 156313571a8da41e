package io.mailfleet.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueFactory;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Reads {@code mailfleet.storage.*} from the final configuration of the actor system and derives the
 * Slick settings of the shared journal pool. Derived in code rather than by HOCON substitution, so an
 * overridden data directory or journal kind applies however the configuration was assembled (a
 * reference.conf resolved on its own would otherwise keep the default path).
 */
public final class StorageSettings {

    public static final String DATA_DIR = "mailfleet.storage.data-dir";
    public static final String JOURNAL = "mailfleet.storage.journal";
    private static final String STORAGE = "mailfleet.storage";

    private StorageSettings() {
    }

    /** The data directory, absolute. */
    public static Path dataDir(Config config) {
        String raw;
        try {
            raw = config.getString(DATA_DIR);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(DATA_DIR + " must be a directory path: " + e.getMessage(), e);
        }
        if (raw.isBlank()) {
            throw new IllegalArgumentException(DATA_DIR + " is empty; set it to the directory Mailfleet stores its data in");
        }
        if (raw.contains(";")) {
            // the path is spliced into a JDBC URL, where ';' starts a setting
            throw new IllegalArgumentException(DATA_DIR + " = '" + raw + "' is not allowed: it must not contain ';'");
        }
        try {
            return Path.of(raw).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(DATA_DIR + " = '" + raw + "' is not a valid path: " + e.getMessage(), e);
        }
    }

    /** {@code h2} or {@code postgres}. */
    public static String journal(Config config) {
        String journal = config.getString(JOURNAL);
        if (!journal.equals("h2") && !journal.equals("postgres")) {
            throw new IllegalArgumentException(JOURNAL + " = '" + journal + "' is not allowed; use h2 or postgres");
        }
        return journal;
    }

    /** The H2 URL: {@code mailfleet.storage.h2.url} when set, else a file database under the data directory. */
    public static String h2Url(Config config) {
        String explicit = config.getString(STORAGE + ".h2.url");
        if (!explicit.isBlank()) {
            return explicit;
        }
        // WRITE_DELAY=0: a commit reaches the file before the journal acknowledges it, so a killed
        // process never loses an event whose "250" the client already saw (H2's default is 500 ms).
        return "jdbc:h2:file:" + dataDir(config).resolve("journal").resolve("mailfleet")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    /**
     * The Slick configuration ({@code profile} and {@code db}) of the one pool shared by the journal,
     * snapshot store, read journal and durable state store.
     */
    public static Config sharedDatabase(Config config) {
        String journal = journal(config);
        String settings = STORAGE + "." + journal;
        Config profile = config.getConfig(STORAGE + ".profiles." + journal);
        String url = journal.equals("h2") ? h2Url(config) : config.getString(settings + ".url");
        int connections = config.getInt(settings + ".max-connections");
        if (connections < 1) {
            throw new IllegalArgumentException(settings + ".max-connections = " + connections + " is not allowed; use 1 or more");
        }
        return profile
                .withValue("db.url", ConfigValueFactory.fromAnyRef(url))
                .withValue("db.user", ConfigValueFactory.fromAnyRef(config.getString(settings + ".user")))
                .withValue("db.password", ConfigValueFactory.fromAnyRef(config.getString(settings + ".password")))
                .withValue("db.numThreads", ConfigValueFactory.fromAnyRef(connections))
                .withValue("db.maxConnections", ConfigValueFactory.fromAnyRef(connections));
    }
}
