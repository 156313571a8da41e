package io.mailfleet.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * {@code WRITE_DELAY=0} (as the journal is) leaves every chunk of the file mostly dead pages, and
 * without H2's background writer nothing rewrites them, so their space is never reused (measured on a
 * node: the file grew 12.5 KB per message for ever). The rounds rewrite the live pages of sparse chunks
 * (chunks below the configured fill rate), which is what lets H2 reuse the rest (the node
 * then grew 3.5 KB per message; docs/benchmarks.md). What is checked here is that rewrite, not the
 * file's size, which depends on H2's retention time and on timing (a size comparison here was flaky).
 */
class H2HousekeepingTest {

    @TempDir
    Path dir;

    @Test
    void roundsRewriteSparseChunksSoTheirSpaceIsFreedAndKeepEveryRow() throws Exception {
        Path db = dir.resolve("journal");
        // H2 rewrites no chunk younger than its retention time (45 s in the node): shortened so the test need
        // not wait that long
        String url = "jdbc:h2:file:" + db + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;RETENTION_TIME=300";
        // scheduled far apart: the test runs the rounds itself
        try (Connection c = DriverManager.getConnection(url, "mailfleet", "");
             H2Housekeeping rounds = H2Housekeeping.start(config(url, "1h", 50))) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE journal (id BIGINT PRIMARY KEY, payload VARBINARY(1000))");
            }
            byte[] payload = new byte[300];
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO journal VALUES (?, ?)")) {
                for (int id = 0; id < 3000; id++) {
                    insert.setLong(1, id);
                    insert.setBytes(2, payload);
                    insert.executeUpdate();
                }
            }
            Thread.sleep(1000);
            int before = chunksFillRate(c);
            assertTrue(before < 50, "one-row commits leave sparse chunks: " + before + " %");

            int rewrites = 0;
            for (int r = 0; r < 100; r++) {
                int done = rounds.round();
                if (done == 0) {
                    break;
                }
                rewrites += done;
            }
            assertTrue(rewrites > 0, "no chunk of " + before + " % full chunks was rewritten");
            assertEquals(0, rounds.round(), "chunks left to rewrite after the rounds");
            try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM journal")) {
                rs.next();
                assertEquals(3000, rs.getLong(1), "every row is still there");
            }
        }
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

    /** How full the chunks of the database behind {@code c} are, in percent of their size. */
    private static int chunksFillRate(Connection c) throws Exception {
        return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore()
                .getFileStore().getChunksFillRate();
    }

    private static Config config(String url, String interval, int fillRate) {
        return ConfigFactory.parseString("mailfleet.storage.journal = h2\n"
                + "mailfleet.storage.h2.url = \"" + url + "\"\n"
                + "mailfleet.storage.h2.housekeeping-interval = " + interval + "\n"
                + "mailfleet.storage.h2.compact-fill-rate = " + fillRate + "\n")
                .withFallback(ConfigFactory.load());
    }
}
