package io.mailfleet.cluster.blobgc;

import io.mailfleet.cluster.mailbox.MailboxEntity;
import io.mailfleet.cluster.queue.QueuePartition;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.StoredBlob;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Mark and sweep over the blob store. Mark: every blob id referenced by a queue partition, then by a
 * mailbox — every such entity found in the journal, so a deleted account's or a retired partition's
 * blobs stay until its entity forgets them. Sweep: every stored blob created before the run started
 * minus the grace period that no entity named is deleted.
 *
 * <p>Why this is safe while mail flows: a blob written after the cut-off (a message being received,
 * an APPEND, a report being queued) is never a candidate; a blob moves only from a queue partition to
 * mailboxes (delivery), and partitions are asked first, so a message delivered during the mark was
 * either still queued when its partition answered or already in its mailbox when that was asked.
 * Inside one account, COPY and MOVE are atomic in the account's entity. Any entity that does not
 * answer aborts the run before anything is deleted.
 */
public final class BlobCollector {

    private static final Logger LOG = LoggerFactory.getLogger(BlobCollector.class);
    private static final int ASKS_IN_FLIGHT = 8;

    /** What a run found and did; {@code deleted} and {@code bytesFreed} are what a dry run would delete. */
    public record Report(boolean dryRun, int partitions, int mailboxes, long referenced, long listed,
                         long deleted, long bytesFreed, long deleteFailures, Instant cutoff, Duration took) {
    }

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final BlobStore blobs;
    private final Duration grace;
    private final Duration askTimeout;
    private final java.time.Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * @param grace      only blobs older than this are candidates: longer than any write takes to be
     *                   referenced (a message's 451 timeout, an APPEND)
     * @param askTimeout how long one entity may take to answer the mark
     */
    public BlobCollector(ActorSystem<?> system, BlobStore blobs, Duration grace, Duration askTimeout) {
        this(system, blobs, grace, askTimeout, java.time.Clock.systemUTC());
    }

    /** As above with the clock the cut-off is computed from (tests run "a day later"). */
    public BlobCollector(ActorSystem<?> system, BlobStore blobs, Duration grace, Duration askTimeout,
                         java.time.Clock clock) {
        if (grace.compareTo(Duration.ofMinutes(10)) < 0) {
            throw new IllegalArgumentException("blob collection grace " + grace + " is too short; use at least 10 minutes");
        }
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        this.blobs = blobs;
        this.grace = grace;
        this.askTimeout = askTimeout;
        this.clock = clock;
    }

    /** Runs one collection; fails (deleting nothing) when the mark cannot be completed or one already runs here. */
    public CompletionStage<Report> run(boolean dryRun) {
        if (!running.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "a blob collection or a backup is already running on this node"));
        }
        Instant started = clock.instant();
        Instant cutoff = started.minus(grace);
        CompletionStage<Report> result = entityIds().thenCompose(ids -> mark(ids).thenCompose(referenced ->
                CompletableFuture.supplyAsync(() -> sweep(ids, referenced, cutoff, started, dryRun), blocking())));
        return result.whenComplete((r, err) -> {
            running.set(false);
            if (err != null) {
                LOG.warn("blob collection aborted, nothing deleted: {}", rootMessage(err));
            } else {
                LOG.info("blob collection{}: {} blob(s) referenced by {} partition(s) and {} mailbox(es); {} stored before {}; "
                                + "{} unreferenced {} ({} bytes), {} delete failure(s), {} ms",
                        dryRun ? " (dry run)" : "", r.referenced(), r.partitions(), r.mailboxes(), r.listed(), r.cutoff(),
                        r.deleted(), dryRun ? "would be deleted" : "deleted", r.bytesFreed(), r.deleteFailures(),
                        r.took().toMillis());
            }
        });
    }

    /**
     * Runs {@code work} (a backup) while no collection can run on this node, so no blob a journal
     * snapshot taken by the work still refers to is deleted under it.
     *
     * @throws IllegalStateException when a collection is running now
     */
    public <T> T exclusive(java.util.concurrent.Callable<T> work) throws Exception {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("a blob collection is running on this node; try again when it has ended");
        }
        try {
            return work.call();
        } finally {
            running.set(false);
        }
    }

    /** Queue partition and mailbox entity ids found in the journal. */
    private record EntityIds(List<String> partitions, List<String> mailboxes) {
    }

    private CompletionStage<EntityIds> entityIds() {
        String queuePrefix = QueuePartition.TYPE_KEY.name() + "|";
        String mailboxPrefix = MailboxEntity.TYPE_KEY.name() + "|";
        JdbcReadJournal journal = PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        return journal.currentPersistenceIds()
                .filter(id -> id.startsWith(queuePrefix) || id.startsWith(mailboxPrefix))
                .runWith(Sink.seq(), system)
                .thenApply(all -> {
                    List<String> partitions = new ArrayList<>();
                    List<String> mailboxes = new ArrayList<>();
                    for (String id : all) {
                        if (id.startsWith(queuePrefix)) {
                            partitions.add(id.substring(queuePrefix.length()));
                        } else {
                            mailboxes.add(id.substring(mailboxPrefix.length()));
                        }
                    }
                    return new EntityIds(partitions, mailboxes);
                });
    }

    /** Partitions first, then mailboxes (see the class comment for why the order matters). */
    private CompletionStage<Set<String>> mark(EntityIds ids) {
        Set<String> referenced = new HashSet<>();
        return Source.from(ids.partitions())
                .mapAsync(ASKS_IN_FLIGHT, p -> sharding.entityRefFor(QueuePartition.TYPE_KEY, p)
                        .ask(QueuePartition.ListBlobIds::new, askTimeout))
                .runForeach(list -> referenced.addAll(list.ids()), system)
                .thenCompose(done -> Source.from(ids.mailboxes())
                        .mapAsyncUnordered(ASKS_IN_FLIGHT, account -> sharding.entityRefFor(MailboxEntity.TYPE_KEY, account)
                                .ask(MailboxEntity.ListBlobIds::new, askTimeout))
                        .runForeach(list -> referenced.addAll(list.ids()), system))
                .thenApply(done -> referenced);
    }

    private Report sweep(EntityIds ids, Set<String> referenced, Instant cutoff, Instant started, boolean dryRun) {
        List<StoredBlob> garbage = new ArrayList<>();
        long[] listed = {0};
        try {
            blobs.list(cutoff, b -> {
                listed[0]++;
                if (!referenced.contains(b.ref().id())) {
                    garbage.add(b);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("listing the blob store failed: " + e.getMessage(), e);
        }
        long deleted = 0;
        long bytes = 0;
        long failures = 0;
        for (StoredBlob b : garbage) {
            if (dryRun) {
                deleted++;
                bytes += b.ref().size();
                continue;
            }
            try {
                blobs.delete(b.ref());
                deleted++;
                bytes += b.ref().size();
            } catch (IOException | RuntimeException e) {
                failures++;
                LOG.warn("blob collection: deleting blob {} failed: {}", b.ref().id(), e.toString());
            }
        }
        return new Report(dryRun, ids.partitions().size(), ids.mailboxes().size(), referenced.size(), listed[0],
                deleted, bytes, failures, cutoff, Duration.between(started, clock.instant()));
    }

    private Executor blocking() {
        return system.dispatchers().lookup(DispatcherSelector.blocking());
    }

    /** The failure without its CompletionException wrapper; a listing failure's message already names it. */
    private static String rootMessage(Throwable err) {
        Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        return c instanceof UncheckedIOException ? c.getMessage() : c.toString();
    }
}
