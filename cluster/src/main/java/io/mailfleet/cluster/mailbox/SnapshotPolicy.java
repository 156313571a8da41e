package io.mailfleet.cluster.mailbox;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.DeleteSnapshotsFailure;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.SnapshotMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * When a mailbox snapshots, and which snapshots it drops. A snapshot holds the whole account, so a
 * fixed interval makes a big mailbox pay its whole size every few hundred events (a 100,000-message
 * account: tens of MB per 500 flag changes) and the total cost grows with the square of its size.
 * The interval grows with the mailbox instead: about one event per ten messages, from a ladder of
 * doublings so a snapshot falls on a multiple of the interval whatever restarts came between.
 */
final class SnapshotPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPolicy.class);

    /** The interval of a small mailbox, in events. */
    static final long MIN_INTERVAL = 500;
    /** Messages per event of interval: a replay after the last snapshot stays under a tenth of the messages. */
    static final long MESSAGES_PER_EVENT = 10;

    private SnapshotPolicy() {
    }

    /** The interval for a mailbox of {@code messages}: the largest of 500, 1000, 2000, … not over messages / 10. */
    static long interval(long messages) {
        long interval = MIN_INTERVAL;
        while (interval * 2 <= messages / MESSAGES_PER_EVENT) {
            interval *= 2;
        }
        return interval;
    }

    /** Whether the event with {@code sequenceNr} takes a snapshot of a mailbox of {@code messages}. */
    static boolean due(long sequenceNr, long messages) {
        return sequenceNr % interval(messages) == 0;
    }

    /**
     * Drops the snapshots older than the one just saved: recovery loads the latest, and Pekko's own
     * retention deletes only after the snapshots it takes itself, not after a predicate's. Best effort:
     * a failure leaves an old snapshot behind until the next one.
     */
    static void dropOlder(ActorSystem<?> system, SnapshotMetadata saved) {
        if (saved.sequenceNr() <= 1) {
            return;
        }
        var store = Persistence.get(Adapter.toClassic(system)).snapshotStoreFor("", ConfigFactory.empty());
        var criteria = SnapshotSelectionCriteria.create(saved.sequenceNr() - 1, Long.MAX_VALUE);
        Patterns.ask(store, new SnapshotProtocol.DeleteSnapshots(saved.persistenceId(), criteria), Duration.ofMinutes(1))
                .whenComplete((reply, failure) -> {
                    if (failure != null || reply instanceof DeleteSnapshotsFailure) {
                        LOG.warn("{}: older snapshots not deleted (the next snapshot tries again): {}", saved.persistenceId(),
                                failure != null ? failure.toString()
                                        : ((DeleteSnapshotsFailure) reply).cause().toString());
                    }
                });
    }
}
