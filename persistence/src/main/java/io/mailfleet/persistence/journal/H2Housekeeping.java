package io.mailfleet.persistence.journal;

import com.typesafe.config.Config;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reclaims the space of the embedded H2 journal as it is written.
 *
 * <p>Why: the journal is opened with {@code WRITE_DELAY=0}, so every commit reaches the file before the
 * journal acknowledges it (a killed node never loses an event whose {@code 250} was sent). That also
 * stops H2's background writer, which is the thread that rewrites half-empty chunks so their space can
 * be reused; without it every commit appends a chunk of at least one 4 KiB block and the file grew by
 * about 12.5 KB per delivered message, for ever (377 MB after 30,000 messages, unchanged by idle time
 * or a restart). This does the same housekeeping on its own thread: every interval it asks H2 to
 * rewrite the live pages of chunks below the fill rate (a bounded amount per round), and H2 then
 * reuses the freed chunks' space once its retention time has passed.
 */
public final class H2Housekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    /** Bytes of live pages rewritten per round at most: bounds the pause a round adds to the commits. */
    private static final int WRITE_PER_ROUND = 4 * 1024 * 1024;

    private final String url;
    private final String user;
    private final String password;
    private final int fillRate;
    private final ScheduledExecutorService timer;
    /** Opened by the first round and kept until {@link #close()} (rounds run one at a time). */
    private Connection connection;
    private volatile boolean warned;

    private H2Housekeeping(String url, String user, String password, int fillRate, Duration interval) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.fillRate = fillRate;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailfleet-h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::round, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the housekeeping of the H2 journal configured in {@code config}, or returns null when the
     * journal is PostgreSQL or {@code mailfleet.storage.h2.housekeeping-interval} is 0.
     */
    public static H2Housekeeping start(Config config) {
        if (!StorageSettings.journal(config).equals("h2")) {
            return null;
        }
        Duration interval = config.getDuration("mailfleet.storage.h2.housekeeping-interval");
        if (interval.isZero()) {
            return null;
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("mailfleet.storage.h2.housekeeping-interval = " + interval
                    + " is not allowed; use 0 (off) or a positive duration");
        }
        int fillRate = config.getInt("mailfleet.storage.h2.compact-fill-rate");
        if (fillRate < 1 || fillRate > 100) {
            throw new IllegalArgumentException("mailfleet.storage.h2.compact-fill-rate = " + fillRate
                    + " is not allowed; use a percentage from 1 to 100");
        }
        return new H2Housekeeping(StorageSettings.h2Url(config), config.getString("mailfleet.storage.h2.user"),
                config.getString("mailfleet.storage.h2.password"), fillRate, interval);
    }

    /**
     * One round: rewrite sparse chunks until none is below the fill rate or the round's budget is spent;
     * the number of rewrites (0 when nothing was left to do or the round failed).
     */
    int round() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(url, user, password);
            }
            MVStore store = ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase()
                    .getStore().getMvStore();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            int rewrites = 0;
            // at least one rewrite per round, however late the thread got to run
            while (store.compact(fillRate, WRITE_PER_ROUND)) {
                rewrites++;
                if (System.nanoTime() >= deadline) {
                    break;
                }
            }
            if (rewrites > 0 && LOG.isDebugEnabled()) {
                LOG.debug("h2 journal: {} chunk rewrite(s), file fill rate now {} %", rewrites, store.getFillRate());
            }
            return rewrites;
        } catch (SQLException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("h2 journal housekeeping failed (the journal file may grow until it works again): {}",
                        e.toString());
            }
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the h2 housekeeping connection: {}", e.toString());
            }
        }
    }
}
