package io.mailfleet.cluster.node;

import io.mailfleet.cluster.directory.ClusterDirectoryService;
import io.mailfleet.cluster.directory.DirectoryEntity;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

import java.util.concurrent.CompletionStage;

/**
 * Wakes every directory entity found in the journal so that, after a restart of the whole cluster,
 * the replicated read caches are filled again before the first RCPT needs them. Idempotent; every
 * node may run it.
 */
public final class DirectoryWarmup {

    private DirectoryWarmup() {
    }

    /** Completes with the number of domains woken. */
    public static CompletionStage<Integer> run(ActorSystem<?> system, ClusterDirectoryService directory) {
        return wake(system, directory).thenApply(java.util.List::size);
    }

    /**
     * Wakes every directory entity in the journal and completes once this node's cache holds the
     * state of each of them, so that no RCPT or login is judged against a half-filled cache after a
     * restart. Fails after {@code max}.
     */
    public static CompletionStage<Integer> untilCached(ActorSystem<?> system, ClusterDirectoryService directory,
                                                       java.time.Duration max) {
        java.util.concurrent.CompletableFuture<Integer> done = new java.util.concurrent.CompletableFuture<>();
        wake(system, directory).whenComplete((domains, err) -> {
            if (err != null) {
                done.completeExceptionally(err);
                return;
            }
            long deadline = System.nanoTime() + max.toNanos();
            Runnable[] check = new Runnable[1];
            check[0] = () -> {
                if (directory.cachedDomains().containsAll(domains)) {
                    directory.markReady();
                    done.complete(domains.size());
                } else if (System.nanoTime() > deadline) {
                    java.util.Set<String> missing = new java.util.TreeSet<>(domains);
                    missing.removeAll(directory.cachedDomains());
                    done.completeExceptionally(new IllegalStateException(
                            "directory not loaded within " + max.toSeconds() + " s; missing domains " + missing));
                } else {
                    // Recovered entities republish on their own; re-waking covers a lost first message.
                    domains.stream().filter(d -> !directory.cachedDomains().contains(d)).forEach(directory::wake);
                    system.scheduler().scheduleOnce(java.time.Duration.ofMillis(50), check[0], system.executionContext());
                }
            };
            check[0].run();
        });
        return done;
    }

    private static CompletionStage<java.util.List<String>> wake(ActorSystem<?> system, ClusterDirectoryService directory) {
        JdbcReadJournal journal = PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        String prefix = DirectoryEntity.TYPE_KEY.name() + "|";
        return journal.currentPersistenceIds()
                .filter(id -> id.startsWith(prefix))
                .map(id -> {
                    String domain = id.substring(prefix.length());
                    directory.wake(domain);
                    return domain;
                })
                .runWith(Sink.seq(), system);
    }
}
