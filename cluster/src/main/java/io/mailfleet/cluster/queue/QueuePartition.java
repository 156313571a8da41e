package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.mailbox.MailboxEntity;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.MessageSummary;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.LocalTarget;
import io.mailfleet.core.directory.RecipientResolver;
import io.mailfleet.core.directory.Resolution;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.service.DirectoryService;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One partition of the mail queue (DESIGN.md §2). Owns every message accepted into it with the
 * status of each delivery target, hands local targets to their {@link MailboxEntity} (idempotently,
 * so crash and retry never duplicate), and keeps remote targets until the outbound path takes them.
 */
public final class QueuePartition extends EventSourcedBehavior<QueuePartition.Command, QueuePartition.Event, QueueState> {

    /** Sharding type; the entity id is the partition number. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "QueuePartition");

    /** The one logger operators grep: one line per delivery decision. */
    static final Logger DELIVERY_LOG = LoggerFactory.getLogger("io.mailfleet.delivery");

    private static final Duration MAILBOX_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(10);
    private static final int MAX_DONE_BATCH = 64;
    private static final Duration DONE_BATCH_WINDOW = Duration.ofMillis(20);

    /** Messages the partition accepts. */
    public sealed interface Command permits Enqueue, Wake, MailboxReply, RetryTick, ListQueue, SummaryReady, FlushDone {
    }

    /** Take ownership of an accepted message; answered once the acceptance is persisted. */
    public record Enqueue(String queueId, Envelope envelope, BlobRef blob, ActorRef<Enqueued> replyTo) implements Command {
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

    /** Internal: a mailbox answered (or failed to answer) a delivery. */
    record MailboxReply(String queueId, int index, MailboxEntity.Delivered delivered, String error) implements Command {
    }

    /** Internal: the message's IMAP metadata was parsed from its blob (null summary: it could not be read). */
    record SummaryReady(String queueId, MessageSummary summary, String error) implements Command {
    }

    /** Internal: time to persist the completed deliveries collected so far. */
    record FlushDone() implements Command {
    }

    /** Internal: time to retry targets whose mailbox did not answer. */
    record RetryTick() implements Command {
    }

    /** Persisted events. */
    public sealed interface Event permits Accepted, TargetUpdated, TargetsUpdated {
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

    /** Snapshot form of the state. */
    public record Snapshot(List<QueuedMessage> messages) {
    }

    /** What a partition needs from its node. */
    public record Dependencies(DirectoryService directory, ResolverOptions resolverOptions, ClusterSharding sharding,
                               BlobStore blobs) {
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final Dependencies deps;
    private final Set<String> inFlight = new HashSet<>();
    /** Parsed metadata of queued messages, computed once per message (recomputed after a restart). */
    private final Map<String, MessageSummary> summaries = new HashMap<>();
    private final Set<String> parsing = new HashSet<>();
    /** Completed deliveries not persisted yet; their targets stay in {@link #inFlight} until they are. */
    private final List<TargetUpdated> done = new ArrayList<>();
    /** The message of each collected completion, for its log line once persisted. */
    private final Map<String, QueuedMessage> lastKnown = new HashMap<>();

    private QueuePartition(ActorContext<Command> context, TimerScheduler<Command> timers, String partition, Dependencies deps) {
        // A failed journal write stops an entity; restarting it with back-off (rather than waiting for
        // the next message) resumes pending deliveries once the store answers again.
        super(PersistenceId.of(TYPE_KEY.name(), partition), org.apache.pekko.actor.typed.SupervisorStrategy
                .restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
        this.context = context;
        this.timers = timers;
        this.deps = deps;
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
                return new Snapshot(List.copyOf(state.messages().values()));
            }

            @Override
            public QueueState fromJournal(Object from) {
                QueueState s = new QueueState();
                ((Snapshot) from).messages().forEach(s::put);
                return s;
            }
        };
    }

    @Override
    public CommandHandler<Command, Event, QueueState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Enqueue.class, this::onEnqueue)
                .onCommand(Wake.class, (s, c) -> Effect().none())
                .onCommand(ListQueue.class, (s, c) -> Effect().reply(c.replyTo(), new Listing(List.copyOf(s.messages().values()))))
                .onCommand(MailboxReply.class, this::onMailboxReply)
                .onCommand(SummaryReady.class, this::onSummary)
                .onCommand(FlushDone.class, (s, c) -> flushDone())
                .onCommand(RetryTick.class, (s, c) -> {
                    startPending(s);
                    return Effect().none();
                })
                .build();
    }

    private Effect<Event, QueueState> onEnqueue(QueueState s, Enqueue e) {
        QueuedMessage known = s.messages().get(e.queueId());
        if (known != null) {
            return Effect().reply(e.replyTo(), new Enqueued(e.queueId()));
        }
        QueuedMessage m = expand(e.queueId(), e.envelope(), e.blob(), deps.directory().view());
        return Effect().persist(new Accepted(m)).thenRun(st -> {
            e.replyTo().tell(new Enqueued(e.queueId()));
            logDecisions(m);
            startDeliveries(st.messages().get(m.queueId()));
        });
    }

    /** Fixes the message's targets from the directory as it is now (aliases, catch-all, subaddress). */
    private QueuedMessage expand(String queueId, Envelope env, BlobRef blob, DirectoryView view) {
        List<DeliveryTarget> targets = new ArrayList<>();
        Map<Integer, TargetStatus> status = new HashMap<>();
        Set<String> seenLocal = new HashSet<>();
        for (EnvelopeRecipient r : env.recipients()) {
            Resolution res = RecipientResolver.resolve(view, r.address(), deps.resolverOptions());
            if (res.foreignDomain()) {
                add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.REMOTE, r.address(), null),
                        TargetStatus.pending("awaiting outbound delivery"));
                continue;
            }
            if (res.loopDetected() || res.unknown()) {
                add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.UNDELIVERABLE, r.address(), null),
                        new TargetStatus(TargetStatus.State.FAILED,
                                res.loopDetected() ? "mail forwarding loop" : "user unknown", Instant.now()));
                continue;
            }
            for (LocalTarget t : res.localAccounts()) {
                // Postfix delivers one copy per final mailbox, however many recipients lead to it.
                if (seenLocal.add(t.account())) {
                    add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.LOCAL, t.account(), t.detail()),
                            TargetStatus.pending("queued for mailbox"));
                }
            }
            for (String remote : res.remoteAddresses()) {
                add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.REMOTE, remote, null),
                        TargetStatus.pending("awaiting outbound delivery"));
            }
            for (String bad : res.undeliverable()) {
                add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.UNDELIVERABLE, bad, null),
                        new TargetStatus(TargetStatus.State.FAILED, "user unknown", Instant.now()));
            }
            if (res.discard()) {
                add(targets, status, new DeliveryTarget(r.address(), DeliveryTarget.Kind.DISCARD, "devnull", null),
                        new TargetStatus(TargetStatus.State.DISCARDED, "discarded by alias", Instant.now()));
            }
        }
        return new QueuedMessage(queueId, env, blob, targets, status);
    }

    private static void add(List<DeliveryTarget> targets, Map<Integer, TargetStatus> status, DeliveryTarget t, TargetStatus s) {
        status.put(targets.size(), s);
        targets.add(t);
    }

    private void logDecisions(QueuedMessage m) {
        for (int i = 0; i < m.targets().size(); i++) {
            TargetStatus s = m.status().get(i);
            DeliveryTarget t = m.targets().get(i);
            if (s.state() == TargetStatus.State.FAILED || s.state() == TargetStatus.State.DISCARDED) {
                logDecision(m, t, s.state() == TargetStatus.State.FAILED ? "bounced" : "discarded", "none", s.reason());
            } else if (t.kind() == DeliveryTarget.Kind.REMOTE) {
                logDecision(m, t, "deferred", "outbound", s.reason());
            }
        }
    }

    static void logDecision(QueuedMessage m, DeliveryTarget t, String status, String relay, String reason) {
        double delay = Duration.between(m.envelope().receivedAt(), Instant.now()).toMillis() / 1000.0;
        DELIVERY_LOG.info("queue={} from=<{}> to=<{}> orig_to=<{}> status={} relay={} delay={}s reason=\"{}\"",
                m.queueId(), m.envelope().sender(), t.address(), t.recipient(), status, relay,
                String.format(java.util.Locale.ROOT, "%.3f", delay), reason);
    }

    private void startPending(QueueState s) {
        for (QueuedMessage m : s.messages().values()) {
            startDeliveries(m);
        }
    }

    private void startDeliveries(QueuedMessage m) {
        if (m == null) {
            return;
        }
        MessageSummary summary = summaries.get(m.queueId());
        if (summary == null) {
            if (hasPendingLocal(m)) {
                parse(m);
            }
            return;
        }
        for (int i = 0; i < m.targets().size(); i++) {
            DeliveryTarget t = m.targets().get(i);
            TargetStatus st = m.status().get(i);
            if (t.kind() != DeliveryTarget.Kind.LOCAL || st.state() != TargetStatus.State.PENDING) {
                continue;
            }
            String key = m.queueId() + "#" + i;
            if (!inFlight.add(key)) {
                continue;
            }
            int index = i;
            String deliveryId = m.queueId() + ":" + i;
            context.ask(MailboxEntity.Delivered.class,
                    deps.sharding().entityRefFor(MailboxEntity.TYPE_KEY, t.address()), MAILBOX_TIMEOUT,
                    reply -> new MailboxEntity.Deliver(deliveryId, "INBOX", m.blob(), m.envelope().receivedAt(), Set.of(), summary, reply),
                    (ok, err) -> new MailboxReply(m.queueId(), index, ok, err == null ? null : err.toString()));
        }
    }

    private static boolean hasPendingLocal(QueuedMessage m) {
        for (int i = 0; i < m.targets().size(); i++) {
            if (m.targets().get(i).kind() == DeliveryTarget.Kind.LOCAL
                    && m.status().get(i).state() == TargetStatus.State.PENDING) {
                return true;
            }
        }
        return false;
    }

    /** Parses the stored message once, off the actor (blob reads block), for the mailbox's IMAP metadata. */
    private void parse(QueuedMessage m) {
        if (!parsing.add(m.queueId())) {
            return;
        }
        java.util.concurrent.Executor blocking = context.getSystem().dispatchers()
                .lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking());
        context.pipeToSelf(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (java.io.InputStream in = deps.blobs().open(m.blob())) {
                return MessageParser.parse(in);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, blocking), (summary, err) -> new SummaryReady(m.queueId(), summary, err == null ? null : err.toString()));
    }

    private Effect<Event, QueueState> onSummary(QueueState s, SummaryReady r) {
        parsing.remove(r.queueId());
        QueuedMessage m = s.messages().get(r.queueId());
        if (m == null) {
            return Effect().none();
        }
        if (r.summary() == null) {
            // The bytes are unreadable right now (storage trouble); keep the message and try again.
            DELIVERY_LOG.error("queue={} message bytes unreadable, delivery deferred: {}", r.queueId(), r.error());
            timers.startSingleTimer("retry", new RetryTick(), RETRY_INTERVAL);
            return Effect().none();
        }
        summaries.put(r.queueId(), r.summary());
        startDeliveries(m);
        return Effect().none();
    }

    private Effect<Event, QueueState> onMailboxReply(QueueState s, MailboxReply r) {
        QueuedMessage m = s.messages().get(r.queueId());
        if (m == null) {
            inFlight.remove(r.queueId() + "#" + r.index());
            return Effect().none();
        }
        DeliveryTarget t = m.targets().get(r.index());
        if (r.delivered() == null) {
            inFlight.remove(r.queueId() + "#" + r.index());
            logDecision(m, t, "deferred", "mailbox", "mailbox did not answer: " + r.error());
            timers.startSingleTimer("retry", new RetryTick(), RETRY_INTERVAL);
            return Effect().none();
        }
        // Collected and persisted as one event: if the node dies first, the mailbox's delivery id
        // makes the repeated delivery a no-op, so nothing is lost or duplicated.
        lastKnown.put(r.queueId() + "#" + r.index(), m);
        done.add(new TargetUpdated(r.queueId(), r.index(), new TargetStatus(TargetStatus.State.DELIVERED,
                "delivered to " + r.delivered().folder() + " uid " + r.delivered().uid(), Instant.now())));
        if (done.size() >= MAX_DONE_BATCH) {
            return flushDone();
        }
        if (!timers.isTimerActive("flush-done")) {
            timers.startSingleTimer("flush-done", new FlushDone(), DONE_BATCH_WINDOW);
        }
        return Effect().none();
    }

    private Effect<Event, QueueState> flushDone() {
        timers.cancel("flush-done");
        if (done.isEmpty()) {
            return Effect().none();
        }
        List<TargetUpdated> batch = List.copyOf(done);
        done.clear();
        return Effect().persist(new TargetsUpdated(batch)).thenRun(st -> {
            for (TargetUpdated u : batch) {
                inFlight.remove(u.queueId() + "#" + u.index());
                QueuedMessage m = lastKnown.remove(u.queueId() + "#" + u.index());
                if (m != null) {
                    logDecision(m, m.targets().get(u.index()), "sent", "mailbox", u.status().reason());
                }
                if (!st.messages().containsKey(u.queueId())) {
                    summaries.remove(u.queueId());
                }
            }
        });
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
                .build();
    }
}
