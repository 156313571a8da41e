package io.mailfleet.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageSettingsTest {

    @TempDir
    Path dir;

    /** An override layered over an already resolved configuration, the way most callers build theirs. */
    private static Config over(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()).resolve();
    }

    @Test
    void dataDirOverriddenAfterResolutionStillMovesTheH2Database() {
        Config c = over("mailfleet.storage.data-dir = \"" + dir + "\"");
        Config db = StorageSettings.sharedDatabase(c);
        assertEquals("jdbc:h2:file:" + dir.toAbsolutePath() + "/journal/mailfleet;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
                db.getString("db.url"));
        assertEquals("slick.jdbc.H2Profile$", db.getString("profile"));
        assertEquals("org.h2.Driver", db.getString("db.driver"));
        assertEquals(4, db.getInt("db.maxConnections"));
        assertEquals(4, db.getInt("db.numThreads"));
    }

    @Test
    void everyJdbcPluginUsesTheOneSharedPool() {
        Config c = ConfigFactory.load();
        for (String plugin : new String[] {"jdbc-journal", "jdbc-snapshot-store", "jdbc-read-journal", "jdbc-durable-state-store"}) {
            assertEquals(MailfleetDatabaseProvider.SHARED, c.getString(plugin + ".use-shared-db"), plugin);
        }
        assertEquals(MailfleetDatabaseProvider.class.getName(),
                c.getString("pekko-persistence-jdbc.database-provider-fqcn"));
        assertEquals("jdbc-journal", c.getString("pekko.persistence.journal.plugin"));
        assertEquals("jdbc-snapshot-store", c.getString("pekko.persistence.snapshot-store.plugin"));
    }

    @Test
    void relativeDataDirIsMadeAbsolute() {
        Config c = over("mailfleet.storage.data-dir = \"var/mail\"");
        Path expected = Path.of("var/mail").toAbsolutePath().normalize();
        assertEquals(expected, StorageSettings.dataDir(c));
        assertTrue(StorageSettings.h2Url(c).startsWith("jdbc:h2:file:" + expected + "/journal/"));
    }

    @Test
    void explicitH2UrlWins() {
        Config c = over("mailfleet.storage.h2.url = \"jdbc:h2:mem:test\"");
        assertEquals("jdbc:h2:mem:test", StorageSettings.sharedDatabase(c).getString("db.url"));
    }

    @Test
    void postgresIsSelectedWithItsOwnSettings() {
        Config db = StorageSettings.sharedDatabase(over("""
                mailfleet.storage {
                  journal = postgres
                  postgres { url = "jdbc:postgresql://db.internal:5432/mail", user = mf, password = secret, max-connections = 7 }
                }"""));
        assertEquals("slick.jdbc.PostgresProfile$", db.getString("profile"));
        assertEquals("jdbc:postgresql://db.internal:5432/mail", db.getString("db.url"));
        assertEquals("mf", db.getString("db.user"));
        assertEquals("secret", db.getString("db.password"));
        assertEquals("org.postgresql.Driver", db.getString("db.driver"));
        assertEquals(7, db.getInt("db.maxConnections"));
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException journal = assertThrows(IllegalArgumentException.class,
                () -> StorageSettings.sharedDatabase(over("mailfleet.storage.journal = mysql")));
        assertTrue(journal.getMessage().contains("mailfleet.storage.journal") && journal.getMessage().contains("mysql"),
                journal.getMessage());
        IllegalArgumentException semicolon = assertThrows(IllegalArgumentException.class,
                () -> StorageSettings.sharedDatabase(over("mailfleet.storage.data-dir = \"/tmp/a;b\"")));
        assertTrue(semicolon.getMessage().contains(StorageSettings.DATA_DIR), semicolon.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> StorageSettings.dataDir(over("mailfleet.storage.data-dir = \"\"")));
        assertTrue(empty.getMessage().contains(StorageSettings.DATA_DIR), empty.getMessage());
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class,
                () -> StorageSettings.sharedDatabase(over("mailfleet.storage.h2.max-connections = 0")));
        assertTrue(pool.getMessage().contains("mailfleet.storage.h2.max-connections"), pool.getMessage());
    }
}
