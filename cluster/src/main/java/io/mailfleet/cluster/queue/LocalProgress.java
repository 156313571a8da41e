package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.delivery.DeliveryLog;
import io.mailfleet.cluster.delivery.LocalDeliveryFlow;
import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.cluster.delivery.local.MailboxDelivery;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.stream.Materializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local targets of a queue partition: hands each waiting target that gets a delivery slot to the
 * local delivery stream once its message is parsed, frees the slot when the stream is done with it,
 * and records completed deliveries in batches. Confined to its partition actor; the stream belongs to
 * this incarnation.
 */
final class LocalProgress {

    /*
     * Local deliveries one partition works on at once (Sieve, parse, mailbox write): per mailbox and in
     * all. With 64 partitions a hot mailbox still has hundreds of deliveries waiting for its next
     * write, enough for large batches; the rest stay queued here, durable, instead of in actor memory.
     */
    static final int MAILBOX_IN_FLIGHT = 16;
    static final int PARTITION_IN_FLIGHT = 256;
    /* The stream asks the partition to persist a decision; the partition may be busy replaying or writing. */
    private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_DONE_BATCH = 64;
    /*
     * Completed local deliveries are recorded together, one event per partition per window: with 64
     * partitions a short window would still cost nearly one journal row per message. A crash inside the
     * window only repeats mailbox appends, which the delivery id makes no-ops.
     */
    private static final Duration DONE_BATCH_WINDOW = Duration.ofMillis(500);
    private static final String FLUSH_TIMER = "flush-done";

    private final TimerScheduler<QueuePartition.Command> timers;
    private final EffectFactories<QueuePartition.Event, QueueState> effects;
    private final QueueCounters counters;
    private final ParsedMessages parsed;
    private final Notifications notifications;
    private final Runnable retryLater;
    private final LocalDeliveryFlow flow;
    /** Local targets (queue id # index) in the stream, or stored and waiting for their status to be written. */
    private final Set<String> inFlight = new HashSet<>();
    private final DeliveryGate gate = new DeliveryGate(MAILBOX_IN_FLIGHT, PARTITION_IN_FLIGHT);
    /** Completed deliveries not persisted yet; their targets stay in {@link #inFlight} until they are. */
    private final List<QueuePartition.TargetUpdated> done = new ArrayList<>();
    /** The message of each collected completion, for its log line once persisted. */
    private final Map<String, QueuedMessage> lastKnown = new HashMap<>();

    LocalProgress(ActorContext<QueuePartition.Command> context, TimerScheduler<QueuePartition.Command> timers,
                  EffectFactories<QueuePartition.Event, QueueState> effects, LocalDeliveryFlow.Stages stages,
                  QueueCounters counters, ParsedMessages parsed, Notifications notifications, Runnable retryLater) {
        this.timers = timers;
        this.effects = effects;
        this.counters = counters;
        this.parsed = parsed;
        this.notifications = notifications;
        this.retryLater = retryLater;
        ActorRef<QueuePartition.Command> self = context.getSelf();
        this.flow = new LocalDeliveryFlow(stages, PARTITION_IN_FLIGHT, Materializer.createMaterializer(context),
                (job, outcome) -> AskPattern.<QueuePartition.Command, LocalDeliveryFlow.Recorded>ask(self,
                        reply -> new QueuePartition.RecordDecision(job, outcome, reply), RECORD_TIMEOUT,
                        context.getSystem().scheduler()),
                result -> self.tell(new QueuePartition.LocalDone(result)));
    }

    /** Whether the target is in the stream or stored and not yet recorded. */
    boolean inFlight(String key) {
        return inFlight.contains(key);
    }

    /** Ends the stream with its incarnation: jobs in it finish, no new ones are taken. */
    void complete() {
        flow.complete();
    }

    /**
     * Hands each waiting local target that gets a delivery slot to the local delivery stream, once its
     * message is parsed (once per message, off the actor: blob reads block).
     */
    void start(QueueState s, QueuedMessage m) {
        boolean freed = false;
        for (int i = 0; i < m.targets().size(); i++) {
            DeliveryTarget t = m.targets().get(i);
            TargetStatus st = m.status().get(i);
            String key = m.queueId() + "#" + i;
            if (t.kind() != DeliveryTarget.Kind.LOCAL || st.state() != TargetStatus.State.PENDING) {
                // finished otherwise meanwhile (bounced by an operator): its slot goes to a waiting target
                freed |= gate.release(key);
                gate.forget(key);
                continue;
            }
            if (inFlight.contains(key) || !gate.tryAcquire(key, t.address())) {
                continue;
            }
            ParsedMessage p = parsed.get(m.queueId());
            if (p == null) {
                parsed.parse(m);
                continue;
            }
            inFlight.add(key);
            if (!flow.offer(new LocalDeliveryFlow.Job(m, i, p, s.plan(m.queueId(), i)))) {
                // cannot happen while the stream's capacity is the gate's; the target simply stays pending
                inFlight.remove(key);
                gate.release(key);
                retryLater.run();
            }
        }
        if (freed) {
            startWaiting(s);
        }
    }

    /** The message's parse came back: its targets holding a slot go on, or give the slot up for now. */
    Effect<QueuePartition.Event, QueueState> onParsed(QueueState s, QueuePartition.Parsed r) {
        parsed.finished(r.queueId());
        QueuedMessage m = s.messages().get(r.queueId());
        if (m == null) {
            for (String key : gate.holdersOf(r.queueId())) {
                releaseSlot(s, key);
            }
            return effects.none();
        }
        if (r.message() == null) {
            // The bytes are unreadable right now (storage trouble); keep the message and try again.
            for (String key : gate.holdersOf(r.queueId())) {
                if (!inFlight.contains(key)) {
                    releaseSlot(s, key);
                }
            }
            DeliveryLog.LOG.error("queue={} message bytes unreadable, delivery deferred: {}", r.queueId(), r.error());
            retryLater.run();
            return effects.none();
        }
        parsed.keep(r.queueId(), r.message());
        start(s, m);
        return effects.none();
    }

    /** A job left the local delivery stream. */
    Effect<QueuePartition.Event, QueueState> onLocalDone(QueueState s, QueuePartition.LocalDone d) {
        LocalDeliveryFlow.Job job = d.result().job();
        String key = job.key();
        QueuedMessage m = s.messages().get(job.message().queueId());
        if (m == null || !(d.result() instanceof LocalDeliveryFlow.Result.Stored stored)) {
            inFlight.remove(key);
            releaseSlot(s, key);
            if (m != null && d.result() instanceof LocalDeliveryFlow.Result.Deferred r) {
                defer(m, job.target(), r);
            }
            if (m == null) {
                parsed.forget(job.message().queueId());
            }
            return effects.none();
        }
        // The mailbox has it; the target stays in inFlight until its status is written (flushDone).
        releaseSlot(s, key);
        String note = stored.plan().note().isEmpty() ? "" : " (" + stored.plan().note() + ")";
        // Collected and persisted as one event: if the node dies first, the mailbox's delivery id
        // makes the repeated delivery a no-op, so nothing is lost or duplicated.
        lastKnown.put(key, m);
        done.add(new QueuePartition.TargetUpdated(m.queueId(), job.index(), new TargetStatus(TargetStatus.State.DELIVERED,
                "delivered to " + MailboxDelivery.where(stored.answers()) + note, Instant.now())));
        if (done.size() >= MAX_DONE_BATCH) {
            return flushDone();
        }
        if (!timers.isTimerActive(FLUSH_TIMER)) {
            timers.startSingleTimer(FLUSH_TIMER, new QueuePartition.FlushDone(), DONE_BATCH_WINDOW);
        }
        return effects.none();
    }

    private void defer(QueuedMessage m, DeliveryTarget t, LocalDeliveryFlow.Result.Deferred r) {
        switch (r.stage()) {
            case "parse" -> DeliveryLog.LOG.error("queue={} message bytes unreadable, delivery deferred: {}",
                    m.queueId(), r.reason());
            case "mailbox" -> parsed.logDecision(m, t, "deferred", "mailbox", "mailbox did not answer: " + r.reason());
            case "checks" -> parsed.logDecision(m, t, "deferred", "checks", r.reason());
            default -> parsed.logDecision(m, t, "deferred", "sieve", "Sieve could not run: " + r.reason());
        }
        retryLater.run();
    }

    /** Frees a delivery slot and starts the waiting targets that now fit. */
    private void releaseSlot(QueueState s, String key) {
        gate.release(key);
        startWaiting(s);
    }

    private void startWaiting(QueueState s) {
        for (String next : gate.admissible()) {
            String queueId = next.substring(0, next.lastIndexOf('#'));
            QueuedMessage m = s.messages().get(queueId);
            if (m == null) {
                gate.forget(next);
            } else {
                // takes the slot (or forgets the target when it no longer waits for one)
                start(s, m);
            }
        }
    }

    /** Persists the completed deliveries collected so far as one event. */
    Effect<QueuePartition.Event, QueueState> flushDone() {
        timers.cancel(FLUSH_TIMER);
        if (done.isEmpty()) {
            return effects.none();
        }
        List<QueuePartition.TargetUpdated> batch = List.copyOf(done);
        done.clear();
        return effects.persist(new QueuePartition.TargetsUpdated(batch)).thenRun(st -> {
            for (QueuePartition.TargetUpdated u : batch) {
                inFlight.remove(u.queueId() + "#" + u.index());
                QueuedMessage m = lastKnown.remove(u.queueId() + "#" + u.index());
                if (m != null) {
                    parsed.logDecision(m, m.targets().get(u.index()), "sent", "mailbox", u.status().reason());
                }
                counters.count(u.status().state());
                if (!st.messages().containsKey(u.queueId())) {
                    parsed.forget(u.queueId());
                } else {
                    notifications.maybeReport(st, u.queueId());
                }
            }
        });
    }
}
