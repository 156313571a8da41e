package io.mailfleet.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded journal's housekeeping: an append-only table written one small commit at a time with
 * {@code WRITE_DELAY=0} (as the journal is) grows its file for every commit; with the housekeeping
 * rounds between bursts, H2 gets chunks to reuse and the file grows less (here about 0.72 of the size
 * without; a node sent 60,000 messages in six bursts grew 3.5 KB per message instead of 12.5). The
 * retention time is shortened here (it is H2's 45 s in the node) so the test does not wait for it.
 */
class H2HousekeepingTest {

    @TempDir
    Path dir;

    @Test
    void roundsBetweenBurstsKeepTheFileFromGrowingWithEveryCommit() throws Exception {
        long without = grow(dir.resolve("off/journal"), false);
        long with = grow(dir.resolve("on/journal"), true);
        assertTrue(with < without * 0.85, "file with housekeeping " + with + " bytes, without " + without);
    }

    @Test
    void offForPostgresOrAZeroIntervalAndGarbageRefusedWithTheKeyNamed() {
        assertNull(H2Housekeeping.start(config("jdbc:h2:mem:x", "0s", 50)));
        assertNull(H2Housekeeping.start(ConfigFactory.parseString("mailfleet.storage.journal = postgres")
                .withFallback(config("jdbc:h2:mem:x", "2s", 50))));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> H2Housekeeping.start(config("jdbc:h2:mem:x", "-1s", 50)));
        assertTrue(negative.getMessage().contains("mailfleet.storage.h2.housekeeping-interval"), negative.getMessage());
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
                () -> H2Housekeeping.start(config("jdbc:h2:mem:x", "2s", 0)));
        assertTrue(rate.getMessage().contains("mailfleet.storage.h2.compact-fill-rate"), rate.getMessage());
    }

    /** Five bursts of 3,000 one-row commits, each followed by a pause past the retention time; the file's size. */
    private static long grow(Path db, boolean housekeeping) throws Exception {
        Files.createDirectories(db.getParent());
        String url = "jdbc:h2:file:" + db + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;RETENTION_TIME=300";
        H2Housekeeping rounds = null;
        try (Connection c = DriverManager.getConnection(url, "mailfleet", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE journal (id BIGINT PRIMARY KEY, payload VARBINARY(1000))");
            }
            if (housekeeping) {
                // scheduled far apart: the test runs the rounds itself, between the bursts
                rounds = H2Housekeeping.start(config(url, "1h", 50));
            }
            byte[] payload = new byte[300];
            long id = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO journal VALUES (?, ?)")) {
                for (int burst = 0; burst < 5; burst++) {
                    for (int i = 0; i < 3000; i++) {
                        insert.setLong(1, id++);
                        insert.setBytes(2, payload);
                        insert.executeUpdate();
                    }
                    Thread.sleep(1000);
                    if (rounds != null) {
                        for (int r = 0; r < 5; r++) {
                            rounds.round();
                        }
                    }
                }
            }
            try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM journal")) {
                rs.next();
                assertEquals(15_000, rs.getLong(1), "every row is still there");
            }
            return Files.size(Path.of(db + ".mv.db"));
        } finally {
            if (rounds != null) {
                rounds.close();
            }
        }
    }

    private static Config config(String url, String interval, int fillRate) {
        return ConfigFactory.parseString("mailfleet.storage.journal = h2\n"
                + "mailfleet.storage.h2.url = \"" + url + "\"\n"
                + "mailfleet.storage.h2.housekeeping-interval = " + interval + "\n"
                + "mailfleet.storage.h2.compact-fill-rate = " + fillRate + "\n")
                .withFallback(ConfigFactory.load());
    }
}
