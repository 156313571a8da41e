package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.delivery.sieve.SieveDelivery;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.core.service.SieveScriptStore;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link MailQueue} on the sharded {@link QueuePartition} entities. */
public final class ClusterMailQueue implements MailQueue {

    private static final Duration ENQUEUE_TIMEOUT = Duration.ofSeconds(20);
    /*
     * An Enqueue sent while its partition is handed over between nodes can be lost with the old
     * incarnation; it is asked again (same queue id: a partition that did get it answers the same)
     * rather than the SMTP client waiting out the whole timeout for a 451.
     */
    private static final Duration ENQUEUE_ATTEMPT = Duration.ofSeconds(5);
    private static final int ENQUEUE_ATTEMPTS = 4;
    private static final Duration KEEPER_INTERVAL = Duration.ofSeconds(10);

    private final ClusterSharding sharding;
    private final int partitions;
    private final QueueCounters counters = new QueueCounters();

    private ClusterMailQueue(ClusterSharding sharding, int partitions) {
        this.sharding = sharding;
        this.partitions = partitions;
    }

    /**
     * Registers the queue entity type (and the Sieve log's when Sieve runs) on this node and starts the
     * keeper that wakes every partition periodically, so each one runs somewhere and resumes its work
     * after a failover.
     *
     * @param scripts the node's script store; its entity type is registered by whoever owns it
     *                ({@link io.mailfleet.cluster.node.ClusterNode}), not here
     */
    public static ClusterMailQueue start(ActorSystem<?> system, DirectoryService directory, ResolverOptions options,
                                         int partitions, io.mailfleet.core.blob.BlobStore blobs, OutboundPolicy outbound,
                                         SieveSettings sieveSettings, SieveScriptStore scripts) {
        ClusterSharding sharding = ClusterSharding.get(system);
        ClusterMailQueue queue = new ClusterMailQueue(sharding, partitions);
        SieveDelivery sieve = null;
        if (sieveSettings.enabled()) {
            sharding.init(Entity.of(SieveLogEntity.TYPE_KEY, ctx -> SieveLogEntity.create(ctx.getEntityId())));
            sieve = new SieveDelivery(sieveSettings, scripts, blobs, sharding, outbound.hostname(),
                    options.recipientDelimiter());
        }
        QueuePartition.Dependencies deps = new QueuePartition.Dependencies(directory, options, sharding, blobs,
                outbound, () -> queue, queue.counters, partitions, sieve);
        sharding.init(Entity.of(QueuePartition.TYPE_KEY, ctx -> QueuePartition.create(ctx.getEntityId(), deps))
                .withStopMessage(new QueuePartition.Stop()));
        system.systemActorOf(io.mailfleet.cluster.node.NodeActors.restarting(Behaviors.<String>withTimers(timers -> {
            timers.startTimerWithFixedDelay("wake", "wake", Duration.ZERO, KEEPER_INTERVAL);
            return Behaviors.receiveMessage(m -> {
                queue.wakeAll();
                return Behaviors.same();
            });
        })), "queue-keeper", Props.empty());
        return queue;
    }

    /** Sends a wake-up to every partition. */
    public void wakeAll() {
        for (int p = 0; p < partitions; p++) {
            sharding.entityRefFor(QueuePartition.TYPE_KEY, Integer.toString(p)).tell(new QueuePartition.Wake());
        }
    }

    /** Delivery decisions of the partitions running on this node. */
    public QueueCounters counters() {
        return counters;
    }

    /** Every queued message with its delivery progress, from all partitions. */
    public CompletionStage<List<QueueEntry>> inspect() {
        List<CompletableFuture<QueuePartition.Inspection>> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(sharding.entityRefFor(QueuePartition.TYPE_KEY, Integer.toString(p))
                    .<QueuePartition.Inspection>ask(QueuePartition.Inspect::new, ENQUEUE_TIMEOUT).toCompletableFuture());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<QueueEntry> out = new ArrayList<>();
            all.forEach(f -> out.addAll(f.join().entries()));
            out.sort(java.util.Comparator.comparing(e -> e.message().envelope().receivedAt()));
            return out;
        });
    }

    /** One queued message with its progress, if it is queued. */
    public CompletionStage<java.util.Optional<QueueEntry>> show(String queueId) {
        return sharding.entityRefFor(QueuePartition.TYPE_KEY, Integer.toString(QueueIds.partitionOf(queueId, partitions)))
                .<QueuePartition.Inspection>ask(QueuePartition.Inspect::new, ENQUEUE_TIMEOUT)
                .thenApply(i -> i.entries().stream().filter(e -> e.message().queueId().equals(queueId)).findFirst());
    }

    /**
     * Applies an operator action; {@code queueId} null flushes every partition. Completes with the
     * number of messages affected (0 when the id is not queued).
     */
    public CompletionStage<Integer> control(QueuePartition.ControlAction action, String queueId) {
        if (queueId == null && action != QueuePartition.ControlAction.FLUSH) {
            throw new IllegalArgumentException(action + " needs a queue id");
        }
        List<CompletableFuture<QueuePartition.ControlResult>> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (queueId != null && p != QueueIds.partitionOf(queueId, partitions)) {
                continue;
            }
            all.add(sharding.entityRefFor(QueuePartition.TYPE_KEY, Integer.toString(p))
                    .<QueuePartition.ControlResult>ask(r -> new QueuePartition.Control(action, queueId, r), ENQUEUE_TIMEOUT)
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().mapToInt(f -> f.join().affected()).sum());
    }

    @Override
    public CompletionStage<String> enqueue(Envelope envelope, BlobRef message) {
        return enqueue(envelope, message, false);
    }

    @Override
    public CompletionStage<String> enqueue(Envelope envelope, BlobRef message, boolean requireTls) {
        return enqueue(envelope, message, requireTls, null);
    }

    /** The parse travels only when it is of this message and small enough for the wire (it may go to another node). */
    @Override
    public CompletionStage<String> enqueue(Envelope envelope, BlobRef message, boolean requireTls, ParsedMessage parsed) {
        String id = QueueIds.next();
        int p = QueueIds.partitionOf(id, partitions);
        ParsedMessage carried = parsed != null && parsed.blob().equals(message) && parsed.travels() ? parsed : null;
        return TimeoutRetry.run(ENQUEUE_ATTEMPTS, attempt -> sharding.entityRefFor(QueuePartition.TYPE_KEY, Integer.toString(p))
                .<QueuePartition.Enqueued>ask(reply -> {
                    QueuePartition.Enqueue e = new QueuePartition.Enqueue(id, envelope, message, reply);
                    if (carried != null) {
                        return new QueuePartition.EnqueueParsed(e, requireTls, carried);
                    }
                    return requireTls ? new QueuePartition.EnqueueRequireTls(e) : e;
                }, ENQUEUE_ATTEMPT)
                .thenApply(QueuePartition.Enqueued::queueId));
    }

    /** Every message still queued on any partition. */
    public CompletionStage<List<QueuedMessage>> list() {
        List<CompletableFuture<QueuePartition.Listing>> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(sharding.entityRefFor(QueuePartition.TYPE_KEY, Integer.toString(p))
                    .<QueuePartition.Listing>ask(QueuePartition.ListQueue::new, ENQUEUE_TIMEOUT).toCompletableFuture());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<QueuedMessage> out = new ArrayList<>();
            all.forEach(f -> out.addAll(f.join().messages()));
            return out;
        });
    }
}
