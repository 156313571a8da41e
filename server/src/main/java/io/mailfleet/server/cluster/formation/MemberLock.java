package io.mailfleet.server.cluster.formation;

import com.typesafe.config.Config;
import io.mailfleet.persistence.journal.StorageSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The cluster's membership as PostgreSQL sees it: every Up member holds a shared advisory lock on a
 * connection of its own and names its address in {@value #TABLE}. PostgreSQL drops the lock the moment
 * that connection ends (the process exits or is killed; a vanished host within about 25 s through
 * TCP keepalives), so the rows whose lock is held are exactly the members of a running cluster, even
 * when those members are too busy or paused to answer over the network. Blocking JDBC: callers keep
 * it off actor and event-loop threads.
 */
public final class MemberLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MemberLock.class);

    static final String TABLE = "mailfleet_cluster_member";
    private static final String UNDEFINED_TABLE = "42P01";
    /** The advisory lock's key: "MFLT" and 1, in PostgreSQL's two-integer form. */
    private static final int KEY_CLASS = 0x4D464C54;
    private static final int KEY_MEMBER = 1;

    private final Config config;
    private final String address;
    private Connection connection;

    private MemberLock(Config config, String address) {
        this.config = config;
        this.address = address;
    }

    /** True when this node's journal is PostgreSQL, the only place where several nodes can share state. */
    public static boolean applies(Config config) {
        return "postgres".equals(StorageSettings.journal(config));
    }

    /** The addresses of the members holding the lock now, this node's earlier incarnations included. */
    public static List<String> liveMembers(Config config) throws SQLException {
        try (Connection c = connect(config, "mailfleet member check")) {
            List<String> live = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("select distinct m.address from " + TABLE + " m join pg_locks l "
                    + "on l.pid = m.pid where l.locktype = 'advisory' and l.classid::bigint = ? and l.objid::bigint = ? "
                    + "and l.objsubid = 2 and l.granted order by m.address")) {
                st.setLong(1, KEY_CLASS);
                st.setLong(2, KEY_MEMBER);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        live.add(rs.getString(1));
                    }
                }
            } catch (SQLException e) {
                // no table yet: no member has ever held the lock on this database (hold creates it)
                if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                    return List.of();
                }
                throw e;
            }
            return live;
        }
    }

    /** Takes the lock for {@code address} on a connection kept open until {@link #close()}. */
    public static MemberLock hold(Config config, String address) throws SQLException {
        MemberLock lock = new MemberLock(config, address);
        lock.acquire();
        return lock;
    }

    /**
     * True while the connection holding the lock is alive; otherwise opens a new one and takes the lock
     * again (PostgreSQL restarted or the connection broke), false when that fails too.
     */
    public synchronized boolean check() {
        if (connection != null) {
            try (Statement st = connection.createStatement()) {
                st.execute("select 1");
                return true;
            } catch (SQLException e) {
                LOG.warn("the member lock's PostgreSQL connection failed ({}); taking the lock again", e.getMessage());
            }
            closeQuietly();
        }
        try {
            acquire();
            return true;
        } catch (SQLException e) {
            LOG.warn("could not take the member lock again: {}", e.getMessage());
            return false;
        }
    }

    private synchronized void acquire() throws SQLException {
        Connection c = connect(config, "mailfleet member " + address);
        try (Statement st = c.createStatement()) {
            // PostgreSQL notices a silently vanished host after 10 + 3 * 5 s instead of the system's two hours
            st.execute("set tcp_keepalives_idle = 10");
            st.execute("set tcp_keepalives_interval = 5");
            st.execute("set tcp_keepalives_count = 3");
            ensureTable(c);
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_lock_shared(?, ?)")) {
                lock.setInt(1, KEY_CLASS);
                lock.setInt(2, KEY_MEMBER);
                lock.execute();
            }
            try (PreparedStatement clean = c.prepareStatement("delete from " + TABLE + " where pid = pg_backend_pid() "
                    + "or address = ? or pid not in (select pid from pg_stat_activity where pid is not null)")) {
                clean.setString(1, address);
                clean.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("insert into " + TABLE + " (pid, address) values "
                    + "(pg_backend_pid(), ?)")) {
                insert.setString(1, address);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        connection = c;
    }

    /** Gives the lock up: this node no longer counts as a member of a running cluster. */
    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the member lock's connection: {}", e.getMessage());
            }
            connection = null;
        }
    }

    private static Connection connect(Config config, String applicationName) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", config.getString("mailfleet.storage.postgres.user"));
        p.setProperty("password", config.getString("mailfleet.storage.postgres.password"));
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "30");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(config.getString("mailfleet.storage.postgres.url"), p);
    }

    private static void ensureTable(Connection c) throws SQLException {
        String ddl = "create table if not exists " + TABLE
                + " (pid integer primary key, address text not null, since timestamptz not null default now())";
        try (Statement st = c.createStatement()) {
            st.execute(ddl);
        } catch (SQLException e) {
            // two nodes creating it at the same moment: one of them gets a unique violation in the catalogue
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            try (Statement again = c.createStatement()) {
                again.execute(ddl);
            }
        }
    }
}
