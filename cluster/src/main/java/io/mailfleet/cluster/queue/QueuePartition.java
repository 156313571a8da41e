package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.blobgc.BlobIdList;
import io.mailfleet.cluster.delivery.LocalDeliveryFlow;
import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.cluster.delivery.checks.InboundChecks;
import io.mailfleet.cluster.delivery.expansion.RecipientExpansion;
import io.mailfleet.cluster.delivery.local.MailboxDelivery;
import io.mailfleet.cluster.delivery.remote.RemoteSender;
import io.mailfleet.cluster.delivery.report.ReportSender;
import io.mailfleet.cluster.delivery.sieve.SieveDelivery;
import io.mailfleet.cluster.mailbox.MailboxEntity;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.core.service.RemoteTransport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One partition of the mail queue (docs/architecture.md, "Entities"). Owns every message accepted into it with the
 * status of each delivery target, hands local targets to their {@link MailboxEntity} (idempotently,
 * so crash and retry never duplicate), and keeps remote targets until the outbound path takes them.
 * This file is the entity's protocol, state changes and retry timer; the work behind each command is
 * done by collaborators confined to the entity's actor: {@link Admission}, {@link LocalProgress},
 * {@link DecisionRecorder}, {@link RemoteProgress}, {@link Notifications}, {@link OperatorControl}
 * and {@link ParsedMessages}.
 */
public final class QueuePartition extends EventSourcedBehavior<QueuePartition.Command, QueuePartition.Event, QueueState> {

    /** Sharding type; the entity id is the partition number. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "QueuePartition");

    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(10);
    private static final Duration NOT_READY_RETRY = Duration.ofMillis(500);

    /** Messages the partition accepts. */
    public sealed interface Command permits Enqueue, Wake, LocalDone, RetryTick, ListQueue, Parsed, FlushDone,
            Inspect, Control, RemoteDone, ReportDone, RemoteTick, RecordDecision, ListBlobIds, RecipientsLookedUp,
            EnqueueRequireTls, EnqueueParsed, Stop {
    }

    /**
     * Sharding's stop message (a rebalance, the node leaving): handled in turn, so the commands
     * stashed while an event was being written (an enqueue among them) are answered first instead
     * of being dropped with the actor, which left their clients waiting for the ask to time out.
     */
    public record Stop() implements Command {
    }

    /**
     * Ask for the blob ids of every queued message and of every Sieve decision still to be stored
     * (the mark phase of blob garbage collection).
     */
    public record ListBlobIds(ActorRef<BlobIdList> replyTo) implements Command {
    }

    /** Take ownership of an accepted message; answered once the acceptance is persisted. */
    public record Enqueue(String queueId, Envelope envelope, BlobRef blob, ActorRef<Enqueued> replyTo) implements Command {
    }

    /**
     * An {@link Enqueue} of a message received with {@code MAIL FROM:<...> REQUIRETLS} (RFC 8689): the
     * tag is persisted with the acceptance ({@link RequireTlsMarked}) and every relay of it must use
     * verified TLS. Answered with {@link Enqueued} like an Enqueue.
     */
    public record EnqueueRequireTls(Enqueue enqueue) implements Command {
    }

    /**
     * An {@link Enqueue} (with the REQUIRETLS tag when {@code requireTls}) carrying the message's parse made
     * at the end of its data: kept in memory for the delivery that starts after the acceptance, never
     * persisted (a restart parses the message again). Answered with {@link Enqueued} like an Enqueue.
     */
    public record EnqueueParsed(Enqueue enqueue, boolean requireTls, ParsedMessage parsed) implements Command {
    }

    /** Reply to {@link Enqueue}. */
    public record Enqueued(String queueId) {
    }

    /** Starts the partition (and its pending deliveries) without changing anything. */
    public record Wake() implements Command {
    }

    /** Ask for the messages still queued. */
    public record ListQueue(ActorRef<Listing> replyTo) implements Command {
    }

    /** Reply to {@link ListQueue}. */
    public record Listing(List<QueuedMessage> messages) {
    }

    /** Ask for the queued messages with their delivery progress. */
    public record Inspect(ActorRef<Inspection> replyTo) implements Command {
    }

    /** Reply to {@link Inspect}. */
    public record Inspection(List<QueueEntry> entries) {
        public Inspection {
            entries = List.copyOf(entries);
        }
    }

    /** Operator actions on queued messages. */
    public enum ControlAction {
        /** Try deferred remote targets now, ignoring the back-off. */
        FLUSH,
        /** Drop the message without notice. */
        DELETE,
        /** Fail every waiting target and notify the sender. */
        BOUNCE
    }

    /** Apply an operator action to one message, or (FLUSH only, null id) to all. */
    public record Control(ControlAction action, String queueId, ActorRef<ControlResult> replyTo) implements Command {
    }

    /** Reply to {@link Control}: how many messages were affected (0: the id is not in this partition). */
    public record ControlResult(int affected) {
    }

    /** Internal: a remote delivery round ended (outcomes aligned with indices; null when expired). */
    record RemoteDone(String queueId, List<Integer> indices, List<RemoteTransport.RecipientOutcome> outcomes,
                      boolean expired) implements Command {
    }

    /** Internal: a notification was queued (reportQueueId) or could not be (error). */
    record ReportDone(String queueId, List<Integer> indices, List<Integer> delayed, String reportQueueId, String error)
            implements Command {
    }

    /** Internal: the earliest retry or delay warning is due. */
    record RemoteTick() implements Command {
    }

    /** Internal: a target left the local delivery stream (stored, finished, gone or deferred). */
    record LocalDone(LocalDeliveryFlow.Result result) implements Command {
    }

    /** Internal: the message was parsed at the start of its delivery (null message: unreadable, error says why). */
    record Parsed(String queueId, ParsedMessage message, String error) implements Command {
    }

    /**
     * Internal: an external directory (LDAP) has looked up an {@link Enqueue}'s recipients on this node;
     * {@code error} when it could not answer (the message is not taken, the client gets a 4xx).
     */
    record RecipientsLookedUp(Enqueue enqueue, String error, boolean requireTls, ParsedMessage parsed)
            implements Command {
    }

    /** Internal: the local delivery stream asks to persist the decision for a target before acting on it. */
    record RecordDecision(LocalDeliveryFlow.Job job, SieveDelivery.Outcome outcome,
                          ActorRef<LocalDeliveryFlow.Recorded> replyTo) implements Command {
    }

    /** Internal: time to persist the completed deliveries collected so far. */
    record FlushDone() implements Command {
    }

    /** Internal: time to retry targets whose mailbox did not answer. */
    record RetryTick() implements Command {
    }

    /** Persisted events. */
    public sealed interface Event permits Accepted, TargetUpdated, TargetsUpdated, RemoteOutcomes, Reported, Removed,
            SieveDecided, RequireTlsMarked {
    }

    /**
     * The message accepted just before (persisted atomically with its {@link Accepted}) carries the RFC
     * 8689 REQUIRETLS tag. A separate event because {@code Envelope} and {@code QueuedMessage} are
     * nested in stored events without a class id, so their shape cannot change.
     */
    public record RequireTlsMarked(String queueId) implements Event {
    }

    /** A message was accepted with its expanded targets. */
    public record Accepted(QueuedMessage message) implements Event {
    }

    /** One target reached a new status. */
    public record TargetUpdated(String queueId, int index, TargetStatus status) implements Event {
    }

    /**
     * Several targets reached a new status; one journal row for a whole batch of completed local
     * deliveries, which is most of the queue's write load.
     */
    public record TargetsUpdated(List<TargetUpdated> updates) implements Event {
        public TargetsUpdated {
            updates = List.copyOf(updates);
        }
    }

    /**
     * A remote delivery round (or an expiry or operator bounce) changed these targets; the message's
     * retry schedule is now {@code attempts} rounds and {@code nextAttempt} (null: none planned).
     */
    public record RemoteOutcomes(String queueId, List<TargetOutcome> outcomes, int attempts, Instant nextAttempt)
            implements Event {
        public RemoteOutcomes {
            outcomes = List.copyOf(outcomes);
        }
    }

    /** The sender was sent a notification (queued as reportQueueId) about these targets / a delay. */
    public record Reported(String queueId, List<Integer> indices, boolean delayWarning, String reportQueueId)
            implements Event {
        public Reported {
            indices = List.copyOf(indices);
        }
    }

    /** An operator deleted the message. */
    public record Removed(String queueId, String reason) implements Event {
    }

    /**
     * Sieve decided for local target {@code index}: where it is stored ({@code plan}), or its final status
     * when it is stored nowhere (discarded, rejected, redirected away); {@code derived} are the messages
     * the decision created (redirected copies, vacation reply), accepted into this partition with it.
     */
    public record SieveDecided(String queueId, int index, SievePlan plan, TargetStatus finalStatus,
                               List<QueuedMessage> derived) implements Event {
        public SieveDecided {
            derived = List.copyOf(derived);
        }
    }

    /** A persisted Sieve decision in a snapshot. */
    public record PlannedTarget(String queueId, int index, SievePlan plan) {
    }

    /** Snapshot form of the state with remote progress and the Sieve decisions of local targets. */
    public record SnapshotV3(List<QueuedMessage> messages, List<MessageProgress> progress, List<PlannedTarget> plans) {
        public SnapshotV3 {
            messages = List.copyOf(messages);
            progress = List.copyOf(progress);
            plans = List.copyOf(plans);
        }
    }

    /** Snapshot form of V3 plus the queue ids of the messages tagged REQUIRETLS (RFC 8689). */
    public record SnapshotV4(List<QueuedMessage> messages, List<MessageProgress> progress, List<PlannedTarget> plans,
                             List<String> requireTls) {
        public SnapshotV4 {
            messages = List.copyOf(messages);
            progress = List.copyOf(progress);
            plans = List.copyOf(plans);
            requireTls = List.copyOf(requireTls);
        }
    }

    /** Snapshot form of the state (before remote delivery progress existed; still read). */
    public record Snapshot(List<QueuedMessage> messages) {
    }

    /** Snapshot form of the state with the remote delivery progress of each message. */
    public record SnapshotV2(List<QueuedMessage> messages, List<MessageProgress> progress) {
        public SnapshotV2 {
            messages = List.copyOf(messages);
            progress = List.copyOf(progress);
        }
    }

    /** What a partition needs from its node. */
    public record Dependencies(DirectoryService directory, ResolverOptions resolverOptions, ClusterSharding sharding,
                               BlobStore blobs, OutboundPolicy outbound, Supplier<MailQueue> queue,
                               QueueCounters counters, int partitions, SieveDelivery sieve, InboundChecks checks) {
        /** Without inbound checks, as every node runs today. */
        public Dependencies(DirectoryService directory, ResolverOptions resolverOptions, ClusterSharding sharding,
                            BlobStore blobs, OutboundPolicy outbound, Supplier<MailQueue> queue,
                            QueueCounters counters, int partitions, SieveDelivery sieve) {
            this(directory, resolverOptions, sharding, blobs, outbound, queue, counters, partitions, sieve,
                    InboundChecks.none());
        }
    }

    private final TimerScheduler<Command> timers;
    private final Dependencies deps;
    private final ParsedMessages parsed;
    private final RemoteProgress remote;
    private final Notifications notifications;
    private final LocalProgress local;
    private final DecisionRecorder decisions;
    private final OperatorControl control;
    private final Admission admission;

    private QueuePartition(ActorContext<Command> context, TimerScheduler<Command> timers, String partition, Dependencies deps) {
        // A failed journal write stops the partition, never restarts it in place: Pekko applies an event
        // to the state before writing it and a restart recovers onto that same (mutable) state, so a
        // retried enqueue would be answered for a message that is in no journal. The next message, or
        // the queue keeper's wake-up within seconds, starts a fresh incarnation from the journal.
        super(PersistenceId.of(TYPE_KEY.name(), partition));
        this.timers = timers;
        this.deps = deps;
        Executor blocking = context.getSystem().dispatchers()
                .lookup(DispatcherSelector.blocking());
        this.notifications = new Notifications(context, Effect(),
                new ReportSender(deps.outbound(), deps.blobs(), deps.queue(), blocking), deps.outbound(), this::retryLater);
        RecipientExpansion expansion = new RecipientExpansion(deps.resolverOptions(), deps.outbound()::unwrapSrs);
        this.parsed = new ParsedMessages(context, deps.blobs(), blocking);
        this.remote = new RemoteProgress(context, timers, Effect(), deps.outbound(), deps.counters(),
                new RemoteSender(deps.outbound(), deps.blobs(), () -> deps.directory().view(), blocking), notifications,
                parsed);
        LocalDeliveryFlow.Stages stages = new LocalDeliveryFlow.Stages(deps.checks(), deps.sieve(),
                new MailboxDelivery(deps.sharding()), deps.blobs(), blocking);
        this.local = new LocalProgress(context, timers, Effect(), stages, deps.counters(), parsed, notifications,
                this::retryLater);
        this.decisions = new DecisionRecorder(Effect(), expansion, deps.directory(), deps.partitions(),
                Integer.parseInt(partition), deps.counters(), parsed, notifications, remote, this::startDeliveries);
        this.control = new OperatorControl(Effect(), deps.counters(), parsed, local, remote, notifications);
        this.admission = new Admission(context, Effect(), deps.directory(), expansion, deps.counters(), notifications,
                parsed, this::startDeliveries);
    }

    public static Behavior<Command> create(String partition, Dependencies deps) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new QueuePartition(ctx, timers, partition, deps)));
    }

    @Override
    public QueueState emptyState() {
        return new QueueState();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(1000, 2);
    }

    @Override
    public SnapshotAdapter<QueueState> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(QueueState state) {
                List<MessageProgress> progress = new ArrayList<>();
                for (String id : state.messages().keySet()) {
                    MessageProgress p = state.progressRecords().get(id);
                    if (p != null) {
                        progress.add(p);
                    }
                }
                List<PlannedTarget> plans = new ArrayList<>();
                state.planRecords().forEach((id, byIndex) -> byIndex.forEach((i, plan) ->
                        plans.add(new PlannedTarget(id, i, plan))));
                List<String> requireTls = state.messages().keySet().stream().filter(state::requiresTls).toList();
                return new SnapshotV4(List.copyOf(state.messages().values()), progress, plans, requireTls);
            }

            @Override
            public QueueState fromJournal(Object from) {
                QueueState s = new QueueState();
                if (from instanceof SnapshotV4 v4) {
                    restore(s, v4.messages(), v4.progress());
                    v4.plans().forEach(p -> s.putPlan(p.queueId(), p.index(), p.plan()));
                    v4.requireTls().forEach(s::markRequireTls);
                } else if (from instanceof SnapshotV3 v3) {
                    restore(s, v3.messages(), v3.progress());
                    v3.plans().forEach(p -> s.putPlan(p.queueId(), p.index(), p.plan()));
                } else if (from instanceof SnapshotV2 v2) {
                    restore(s, v2.messages(), v2.progress());
                } else {
                    ((Snapshot) from).messages().forEach(s::put);
                }
                return s;
            }
        };
    }

    private static void restore(QueueState s, List<QueuedMessage> messages, List<MessageProgress> progress) {
        Map<String, MessageProgress> byId = new HashMap<>();
        progress.forEach(p -> byId.put(p.queueId(), p));
        messages.forEach(m -> s.restore(m, byId.get(m.queueId())));
    }

    @Override
    public CommandHandler<Command, Event, QueueState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Enqueue.class, (s, e) -> admission.onEnqueue(s, e, false, null))
                .onCommand(EnqueueRequireTls.class, (s, e) -> admission.onEnqueue(s, e.enqueue(), true, null))
                .onCommand(Stop.class, (s, c) -> Effect().stop())
                .onCommand(EnqueueParsed.class, (s, e) -> admission.onEnqueue(s, e.enqueue(), e.requireTls(), e.parsed()))
                .onCommand(RecipientsLookedUp.class, admission::onRecipientsLookedUp)
                .onCommand(Wake.class, (s, c) -> Effect().none())
                .onCommand(ListQueue.class, (s, c) -> Effect().reply(c.replyTo(), new Listing(List.copyOf(s.messages().values()))))
                .onCommand(LocalDone.class, local::onLocalDone)
                .onCommand(Parsed.class, local::onParsed)
                .onCommand(RecordDecision.class, decisions::onRecord)
                .onCommand(FlushDone.class, (s, c) -> local.flushDone())
                .onCommand(RetryTick.class, (s, c) -> {
                    startPending(s);
                    return Effect().none();
                })
                .onCommand(ListBlobIds.class, (s, c) -> Effect().reply(c.replyTo(), blobIds(s)))
                .onCommand(Inspect.class, (s, c) -> {
                    List<QueueEntry> entries = new ArrayList<>();
                    s.messages().values().forEach(m -> entries.add(new QueueEntry(m, s.progress(m.queueId()))));
                    return Effect().reply(c.replyTo(), new Inspection(entries));
                })
                .onCommand(Control.class, control::onControl)
                .onCommand(RemoteDone.class, remote::onRemoteDone)
                .onCommand(ReportDone.class, (s, r) -> notifications.onReportDone(s, r, remote::schedule))
                .onCommand(RemoteTick.class, (s, c) -> {
                    remote.onTick(s);
                    return Effect().none();
                })
                .build();
    }

    private BlobIdList blobIds(QueueState s) {
        Set<String> ids = new HashSet<>();
        s.messages().values().forEach(m -> ids.add(m.blob().id()));
        s.planRecords().values().forEach(byIndex -> byIndex.values().forEach(p -> ids.add(p.blob().id())));
        return new BlobIdList(List.copyOf(ids));
    }

    /** Runs {@link #startPending} again after a while: for whatever could not proceed now (storage, mailbox). */
    private void retryLater() {
        retryAfter(RETRY_INTERVAL);
    }

    private void retryAfter(Duration wait) {
        timers.startSingleTimer("retry", new RetryTick(), wait);
    }

    private void startPending(QueueState s) {
        if (!deps.directory().ready()) {
            // Routing and expansion read the directory: never decide a delivery (relay or MX, local
            // or foreign) against a cache that is still filling after a restart.
            retryAfter(NOT_READY_RETRY);
            return;
        }
        for (QueuedMessage m : List.copyOf(s.messages().values())) {
            startDeliveries(s, m);
            notifications.maybeReport(s, m.queueId());
        }
        remote.schedule(s);
    }

    private void startDeliveries(QueueState s, QueuedMessage m) {
        if (m == null) {
            return;
        }
        if (!deps.directory().ready()) {
            retryAfter(NOT_READY_RETRY);
            return;
        }
        remote.start(s, m, false);
        local.start(s, m);
    }

    private static void apply(QueueState s, TargetUpdated e) {
        QueuedMessage m = s.messages().get(e.queueId());
        if (m != null) {
            s.put(m.with(e.index(), e.status()));
        }
    }

    @Override
    public SignalHandler<QueueState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::startPending)
                // the stream belongs to this incarnation: jobs in it finish, no new ones are taken
                .onSignal(PreRestart.instance(), s -> local.complete())
                .onSignal(PostStop.instance(), s -> local.complete())
                .build();
    }

    @Override
    public EventHandler<QueueState, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Accepted.class, (s, e) -> {
                    s.put(e.message());
                    return s;
                })
                .onEvent(TargetUpdated.class, (s, e) -> {
                    apply(s, e);
                    return s;
                })
                .onEvent(TargetsUpdated.class, (s, e) -> {
                    e.updates().forEach(u -> apply(s, u));
                    return s;
                })
                .onEvent(RemoteOutcomes.class, (s, e) -> {
                    QueuedMessage m = s.messages().get(e.queueId());
                    if (m != null) {
                        for (TargetOutcome o : e.outcomes()) {
                            m = m.with(o.index(), o.status());
                        }
                        s.update(m, s.progress(e.queueId()).withOutcomes(e.outcomes(), e.attempts(), e.nextAttempt()));
                    }
                    return s;
                })
                .onEvent(Reported.class, (s, e) -> {
                    s.putProgress(s.progress(e.queueId()).withReported(e.indices(), e.delayWarning()));
                    return s;
                })
                .onEvent(Removed.class, (s, e) -> {
                    s.remove(e.queueId());
                    return s;
                })
                .onEvent(RequireTlsMarked.class, (s, e) -> {
                    s.markRequireTls(e.queueId());
                    return s;
                })
                .onEvent(SieveDecided.class, (s, e) -> {
                    e.derived().forEach(s::put);
                    s.putPlan(e.queueId(), e.index(), e.plan());
                    if (e.finalStatus() != null) {
                        apply(s, new TargetUpdated(e.queueId(), e.index(), e.finalStatus()));
                    }
                    return s;
                })
                .build();
    }
}
