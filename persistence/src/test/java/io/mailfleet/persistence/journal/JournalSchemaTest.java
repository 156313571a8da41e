package io.mailfleet.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mailfleet.persistence.serialization.KryoSerializer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalSchemaTest {

    /** Generous: the first write creates the database, which is slow when the build shares the cores. */
    private static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(30);

    /** Persisted event, registered for Kryo in the test application.conf. */
    public record Added(int amount) {
    }

    /** Snapshot state, registered for Kryo in the test application.conf. */
    public record Total(int value) {
    }

    sealed interface Command permits Add, Get {
    }

    record Add(int amount, ActorRef<Integer> replyTo) implements Command {
    }

    record Get(ActorRef<Integer> replyTo) implements Command {
    }

    static final class Counter extends EventSourcedBehavior<Command, Added, Total> {
        Counter(String id) {
            super(PersistenceId.ofUniqueId(id));
        }

        @Override
        public Total emptyState() {
            return new Total(0);
        }

        @Override
        public CommandHandler<Command, Added, Total> commandHandler() {
            return newCommandHandlerBuilder().forAnyState()
                    .onCommand(Add.class, (state, add) -> Effect().persist(new Added(add.amount()))
                            .thenReply(add.replyTo(), Total::value))
                    .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state.value()))
                    .build();
        }

        @Override
        public EventHandler<Total, Added> eventHandler() {
            return newEventHandlerBuilder().forAnyState()
                    .onEvent(Added.class, (state, e) -> new Total(state.value() + e.amount()))
                    .build();
        }

        @Override
        public RetentionCriteria retentionCriteria() {
            return RetentionCriteria.snapshotEvery(3, 2);
        }
    }

    private static Behavior<Command> counter(String id) {
        return new Counter(id);
    }

    @Test
    void eventsSurviveAnActorSystemRestartOnTheSameDataDirectory(@TempDir Path dataDir) throws Exception {
        // the data directory is layered over an already resolved configuration, as callers do
        Config config = ConfigFactory.parseString("mailfleet.storage.data-dir = \"" + dataDir + "\"")
                .withFallback(ConfigFactory.load());

        ActorTestKit first = ActorTestKit.create("journal", config);
        try {
            JournalSchema.ensure(first.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            JournalSchema.ensure(first.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            ActorRef<Command> c = first.spawn(counter("counter-1"));
            TestProbe<Integer> probe = first.createTestProbe();
            List<Integer> totals = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                c.tell(new Add(i, probe.ref()));
                totals.add(probe.receiveMessage(PATIENCE));
            }
            assertEquals(List.of(1, 3, 6, 10, 15), totals);
        } finally {
            first.shutdownTestKit();
        }
        assertTrue(Files.exists(dataDir.resolve("journal/mailfleet.mv.db")), "H2 database must live in the data dir");

        ActorTestKit second = ActorTestKit.create("journal", config);
        try {
            JournalSchema.ensure(second.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            ActorRef<Command> c = second.spawn(counter("counter-1"));
            TestProbe<Integer> probe = second.createTestProbe();
            c.tell(new Get(probe.ref()));
            assertEquals(15, probe.receiveMessage(PATIENCE));
            c.tell(new Add(100, probe.ref()));
            assertEquals(115, probe.receiveMessage(PATIENCE));

            ActorRef<Command> other = second.spawn(counter("counter-2"));
            other.tell(new Get(probe.ref()));
            assertEquals(0, probe.receiveMessage(PATIENCE));
        } finally {
            second.shutdownTestKit();
        }

        String url = StorageSettings.h2Url(config);
        try (Connection conn = DriverManager.getConnection(url, "mailfleet", "");
             ResultSet rs = conn.createStatement().executeQuery(
                     "SELECT \"event_ser_id\", \"event_ser_manifest\" FROM \"event_journal\" WHERE \"persistence_id\" = 'counter-1'")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertEquals(KryoSerializer.IDENTIFIER, rs.getInt(1), "events must be stored with the Kryo serializer");
                assertEquals("", rs.getString(2));
            }
            assertEquals(6, rows);
        }
        try (Connection conn = DriverManager.getConnection(url, "mailfleet", "");
             ResultSet rs = conn.createStatement().executeQuery(
                     "SELECT \"snapshot_ser_id\" FROM \"snapshot\" WHERE \"persistence_id\" = 'counter-1'")) {
            assertTrue(rs.next(), "a snapshot must have been taken after 3 events");
            assertEquals(KryoSerializer.IDENTIFIER, rs.getInt(1));
        }
        try (Connection conn = DriverManager.getConnection(url, "mailfleet", "");
             ResultSet rs = conn.createStatement().executeQuery("SELECT \"ordering\" FROM \"event_journal\" "
                     + "WHERE \"persistence_id\" = 'counter-1' ORDER BY \"sequence_number\"")) {
            long previous = 0;
            while (rs.next()) {
                assertTrue(rs.getLong(1) > previous, "ordering must grow across restarts, also with its cache");
                previous = rs.getLong(1);
            }
        }
        try (Connection conn = DriverManager.getConnection(url, "mailfleet", "");
             ResultSet rs = conn.createStatement().executeQuery("SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS "
                     + "WHERE TABLE_NAME = 'event_journal' AND COLUMN_NAME = 'ordering'")) {
            assertTrue(rs.next());
            assertEquals(10_000, rs.getLong(1), "a cache refill is a commit of its own: the cache must be large");
        }
    }

    @Test
    void ensureNamesABadJournalSetting() {
        ActorTestKit kit = ActorTestKit.create("bad-journal",
                ConfigFactory.parseString("mailfleet.storage.journal = oracle").withFallback(ConfigFactory.load()));
        try {
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> JournalSchema.ensure(kit.system()).toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("mailfleet.storage.journal"), e.getCause().getMessage());
        } finally {
            kit.shutdownTestKit();
        }
    }
}
