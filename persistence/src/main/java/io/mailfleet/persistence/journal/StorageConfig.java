package io.mailfleet.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the actor system's configuration with storage settings applied: {@code mailfleet.storage.data-dir}
 * made absolute and substituted everywhere it is used, and the journal kind chosen by
 * {@code mailfleet.storage.journal} installed as the shared jdbc pool.
 *
 * <p>Pass configs that are not resolved yet: a value overridden here must still flow into the
 * substitutions of every reference.conf.
 */
public final class StorageConfig {

    public static final String DATA_DIR = "mailfleet.storage.data-dir";
    public static final String JOURNAL = "mailfleet.storage.journal";
    public static final String SHARED_DB = "pekko-persistence-jdbc.shared-databases.default";
    private static final String PROFILES = "mailfleet.storage.profiles";

    private StorageConfig() {
    }

    /** System properties, then {@code overrides}, then application.conf, then every reference.conf. */
    public static Config load(Config overrides) {
        return load(overrides, ConfigFactory.defaultApplication());
    }

    public static Config load(Config overrides, Config application) {
        Config unresolved = ConfigFactory.defaultOverrides()
                .withFallback(overrides)
                .withFallback(application)
                .withFallback(ConfigFactory.defaultReferenceUnresolved());
        Config first = unresolved.resolve();
        Path dataDir = dataDir(first);
        String journal = first.getString(JOURNAL);
        Config resolved = ConfigFactory.parseMap(Map.of(DATA_DIR, dataDir.toString()), "absolute data directory")
                .withFallback(unresolved)
                .resolve();
        String profile = switch (journal) {
            case "h2", "postgres" -> journal;
            default -> throw new IllegalArgumentException(JOURNAL + " = '" + journal + "' is not allowed; use h2 or postgres");
        };
        return resolved.withValue(SHARED_DB, resolved.getValue(PROFILES + "." + profile));
    }

    /** Convenience for tests and tools: everything default except the data directory. */
    public static Config forDataDir(Path dataDir) {
        return load(ConfigFactory.parseMap(Map.of(DATA_DIR, dataDir.toAbsolutePath().toString()), "data directory"));
    }

    private static Path dataDir(Config config) {
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
            // the path is spliced into a JDBC URL where ';' starts a setting
            throw new IllegalArgumentException(DATA_DIR + " = '" + raw + "' is not allowed: it must not contain ';'");
        }
        try {
            return Path.of(raw).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(DATA_DIR + " = '" + raw + "' is not a valid path: " + e.getMessage(), e);
        }
    }
}
