package io.mailfleet.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageConfigTest {

    @TempDir
    Path dir;

    @Test
    void dataDirFlowsIntoTheH2UrlOfTheSharedPool() {
        Config c = StorageConfig.forDataDir(dir);
        String url = "jdbc:h2:file:" + dir.toAbsolutePath() + "/journal/mailfleet;DB_CLOSE_ON_EXIT=FALSE";
        assertEquals(url, c.getString("pekko-persistence-jdbc.shared-databases.default.db.url"));
        assertEquals("slick.jdbc.H2Profile$", c.getString("pekko-persistence-jdbc.shared-databases.default.profile"));
        for (String plugin : new String[] {"jdbc-journal", "jdbc-snapshot-store", "jdbc-read-journal", "jdbc-durable-state-store"}) {
            assertEquals("default", c.getString(plugin + ".use-shared-db"), plugin);
        }
        assertEquals("jdbc-journal", c.getString("pekko.persistence.journal.plugin"));
        assertEquals("jdbc-snapshot-store", c.getString("pekko.persistence.snapshot-store.plugin"));
        JournalSchema.checkProfile(c);
    }

    @Test
    void relativeDataDirIsMadeAbsolute() {
        Config c = StorageConfig.load(ConfigFactory.parseString("mailfleet.storage.data-dir = \"var/mail\""));
        Path expected = Path.of("var/mail").toAbsolutePath().normalize();
        assertEquals(expected.toString(), c.getString(StorageConfig.DATA_DIR));
        assertTrue(c.getString("mailfleet.storage.h2.url").startsWith("jdbc:h2:file:" + expected + "/journal/"));
    }

    @Test
    void postgresProfileIsSelectedWithItsOwnSettings() {
        Config c = StorageConfig.load(ConfigFactory.parseString("""
                mailfleet.storage {
                  journal = postgres
                  postgres { url = "jdbc:postgresql://db.internal:5432/mail", user = mf, password = secret }
                }"""));
        assertEquals("slick.jdbc.PostgresProfile$", c.getString(StorageConfig.SHARED_DB + ".profile"));
        assertEquals("jdbc:postgresql://db.internal:5432/mail", c.getString(StorageConfig.SHARED_DB + ".db.url"));
        assertEquals("mf", c.getString(StorageConfig.SHARED_DB + ".db.user"));
        assertEquals("secret", c.getString(StorageConfig.SHARED_DB + ".db.password"));
        assertEquals("org.postgresql.Driver", c.getString(StorageConfig.SHARED_DB + ".db.driver"));
        JournalSchema.checkProfile(c);
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException journal = assertThrows(IllegalArgumentException.class,
                () -> StorageConfig.load(ConfigFactory.parseString("mailfleet.storage.journal = mysql")));
        assertTrue(journal.getMessage().contains("mailfleet.storage.journal") && journal.getMessage().contains("mysql"),
                journal.getMessage());
        IllegalArgumentException semicolon = assertThrows(IllegalArgumentException.class,
                () -> StorageConfig.load(ConfigFactory.parseString("mailfleet.storage.data-dir = \"/tmp/a;b\"")));
        assertTrue(semicolon.getMessage().contains(StorageConfig.DATA_DIR), semicolon.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> StorageConfig.load(ConfigFactory.parseString("mailfleet.storage.data-dir = \"\"")));
        assertTrue(empty.getMessage().contains(StorageConfig.DATA_DIR), empty.getMessage());
    }

    @Test
    void systemBuiltWithoutStorageConfigIsDetected() {
        Config unprepared = ConfigFactory.parseString("mailfleet.storage.journal = postgres")
                .withFallback(ConfigFactory.load());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JournalSchema.checkProfile(unprepared));
        assertTrue(e.getMessage().contains("StorageConfig.load"), e.getMessage());
    }
}
