package io.mailfleet.cluster.ban;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Wakes every ban list found in the journal, so that after a restart of the whole cluster (the
 * replicated map lives in memory only) every node's ban cache is filled again. Idempotent; every
 * node may run it.
 */
public final class BanWarmup {

    private BanWarmup() {
    }

    /** Completes with the number of buckets woken. */
    public static CompletionStage<Integer> run(ActorSystem<?> system, ClusterBanService bans) {
        JdbcReadJournal journal = PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        String prefix = BanListEntity.TYPE_KEY.name() + "|";
        return journal.currentPersistenceIds()
                .filter(id -> id.startsWith(prefix))
                .map(id -> {
                    bans.wake(id.substring(prefix.length()));
                    return id;
                })
                .runWith(Sink.seq(), system)
                .thenApply(List::size);
    }
}
