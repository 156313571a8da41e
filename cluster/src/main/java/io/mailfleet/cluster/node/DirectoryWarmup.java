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
        JdbcReadJournal journal = PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        String prefix = DirectoryEntity.TYPE_KEY.name() + "|";
        return journal.currentPersistenceIds()
                .filter(id -> id.startsWith(prefix))
                .map(id -> {
                    directory.wake(id.substring(prefix.length()));
                    return 1;
                })
                .runWith(Sink.fold(0, Integer::sum), system);
    }
}
