package io.mailfleet.persistence.journal;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Creates the pekko-persistence-jdbc tables (journal, tags, snapshots, durable state) when missing.
 * pekko-persistence-jdbc never does this itself; this is idempotent and meant to run on every start,
 * before the first persistent entity.
 */
public final class JournalSchema {

    private JournalSchema() {
    }

    private static final int ATTEMPTS = 5;

    public static CompletionStage<Done> ensure(ActorSystem<?> system) {
        try {
            // fail with the storage key at fault before Slick reports a less helpful error
            StorageSettings.sharedDatabase(system.settings().config());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return attempt(system, 1);
    }

    /** H2 gets Mailfleet's own DDL (see schema/mailfleet-h2.sql); other databases the library's. */
    private static CompletionStage<Done> create(ActorSystem<?> system) {
        com.typesafe.config.Config config = system.settings().config();
        if (!"h2".equals(StorageSettings.journal(config))) {
            return SchemaUtils.createIfNotExists(system);
        }
        return CompletableFuture.supplyAsync(() -> {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(StorageSettings.h2Url(config),
                    config.getString("mailfleet.storage.h2.user"), config.getString("mailfleet.storage.h2.password"));
                 java.sql.Statement st = c.createStatement()) {
                for (String sql : h2Statements()) {
                    st.execute(sql);
                }
                return Done.getInstance();
            } catch (java.sql.SQLException | java.io.IOException e) {
                throw new java.util.concurrent.CompletionException(
                        new IllegalStateException("cannot create the H2 journal schema: " + e.getMessage(), e));
            }
        });
    }

    private static java.util.List<String> h2Statements() throws java.io.IOException {
        try (java.io.InputStream in = JournalSchema.class.getResourceAsStream("/schema/mailfleet-h2.sql")) {
            if (in == null) {
                throw new java.io.IOException("schema/mailfleet-h2.sql is missing from the classpath");
            }
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            java.util.List<String> out = new java.util.ArrayList<>();
            StringBuilder sb = new StringBuilder();
            for (String line : text.split("\n")) {
                if (line.startsWith("--")) {
                    continue;
                }
                sb.append(line).append('\n');
            }
            for (String stmt : sb.toString().split(";")) {
                if (!stmt.isBlank()) {
                    out.add(stmt.trim());
                }
            }
            return out;
        }
    }

    /**
     * Nodes of a cluster starting together race on PostgreSQL: two concurrent CREATE TABLE IF NOT
     * EXISTS can fail with a duplicate-key error in the catalog. The loser simply tries again.
     */
    private static CompletionStage<Done> attempt(ActorSystem<?> system, int n) {
        return create(system).handle((done, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(done);
            }
            if (n >= ATTEMPTS) {
                return CompletableFuture.<Done>failedFuture(error);
            }
            CompletableFuture<Done> retry = new CompletableFuture<>();
            CompletableFuture.delayedExecutor(200L * n, java.util.concurrent.TimeUnit.MILLISECONDS).execute(() ->
                    attempt(system, n + 1).whenComplete((d, e) -> {
                        if (e != null) {
                            retry.completeExceptionally(e);
                        } else {
                            retry.complete(d);
                        }
                    }));
            return retry;
        }).thenCompose(s -> s);
    }
}
