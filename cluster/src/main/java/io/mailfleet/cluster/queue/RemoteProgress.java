package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.delivery.DeliveryLog;
import io.mailfleet.cluster.delivery.remote.RemoteRound;
import io.mailfleet.cluster.delivery.remote.RemoteSender;
import io.mailfleet.cluster.delivery.report.Reports;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The remote targets of a queue partition: starts a delivery round for a message's waiting remote
 * targets when its retry is due, records the round's outcomes with the next attempt, and keeps one
 * timer armed for the partition's earliest retry or delay warning. Confined to its partition actor.
 */
final class RemoteProgress {

    private static final String TIMER = "remote";

    private final ActorContext<QueuePartition.Command> context;
    private final TimerScheduler<QueuePartition.Command> timers;
    private final EffectFactories<QueuePartition.Event, QueueState> effects;
    private final OutboundPolicy outbound;
    private final QueueCounters counters;
    private final RemoteSender sender;
    private final Notifications notifications;
    private final ParsedMessages parsed;
    /** Remote targets (queue id # index) in a round that has not ended yet. */
    private final Set<String> inFlight = new HashSet<>();

    RemoteProgress(ActorContext<QueuePartition.Command> context, TimerScheduler<QueuePartition.Command> timers,
                   EffectFactories<QueuePartition.Event, QueueState> effects, OutboundPolicy outbound,
                   QueueCounters counters, RemoteSender sender, Notifications notifications, ParsedMessages parsed) {
        this.context = context;
        this.timers = timers;
        this.effects = effects;
        this.outbound = outbound;
        this.counters = counters;
        this.sender = sender;
        this.notifications = notifications;
        this.parsed = parsed;
    }

    /** Whether the target is in a remote round right now. */
    boolean inFlight(String key) {
        return inFlight.contains(key);
    }

    private boolean waiting(QueuedMessage m, int i) {
        return m.targets().get(i).kind() == DeliveryTarget.Kind.REMOTE
                && m.status().get(i).state() == TargetStatus.State.PENDING
                && !inFlight.contains(m.queueId() + "#" + i);
    }

    /** Starts a remote round for the message's waiting remote targets when it is due (or forced). */
    void start(QueueState s, QueuedMessage m, boolean force) {
        if (outbound.transport() == null) {
            return;
        }
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < m.targets().size(); i++) {
            if (waiting(m, i)) {
                indices.add(i);
            }
        }
        if (indices.isEmpty()) {
            return;
        }
        MessageProgress p = s.progress(m.queueId());
        Instant now = Instant.now();
        if (!force && p.nextAttempt() != null && now.isBefore(p.nextAttempt())) {
            return;
        }
        indices.forEach(i -> inFlight.add(m.queueId() + "#" + i));
        if (outbound.retry().expired(m.envelope().receivedAt(), now)) {
            context.getSelf().tell(new QueuePartition.RemoteDone(m.queueId(), indices, null, true));
            return;
        }
        context.pipeToSelf(sender.send(m, indices, s.requiresTls(m.queueId())),
                (outcomes, err) -> new QueuePartition.RemoteDone(m.queueId(), indices, outcomes, false));
    }

    /** The earliest retry or delay warning is due: starts what is due, queues what is owed, re-arms. */
    void onTick(QueueState s) {
        for (QueuedMessage m : List.copyOf(s.messages().values())) {
            start(s, m, false);
            notifications.maybeReport(s, m.queueId());
        }
        schedule(s);
    }

    /** Records a round's outcomes with the message's next attempt (none when nothing is deferred). */
    Effect<QueuePartition.Event, QueueState> onRemoteDone(QueueState s, QueuePartition.RemoteDone r) {
        QueuedMessage m = s.messages().get(r.queueId());
        if (m == null) {
            r.indices().forEach(i -> inFlight.remove(r.queueId() + "#" + i));
            return effects.none();
        }
        Instant now = Instant.now();
        MessageProgress p = s.progress(r.queueId());
        RemoteRound.Result round = RemoteRound.of(m, p, r.indices(), r.outcomes(), r.expired(),
                outbound.retry().lifetime(), now);
        List<TargetOutcome> outcomes = round.outcomes();
        boolean deferred = round.deferred();
        if (outcomes.isEmpty()) {
            r.indices().forEach(i -> inFlight.remove(r.queueId() + "#" + i));
            return effects.none();
        }
        int attempts = r.expired() ? p.attempts() : p.attempts() + 1;
        Instant next = deferred ? outbound.retry().next(m.envelope().receivedAt(), attempts, now) : null;
        return effects.persist(new QueuePartition.RemoteOutcomes(r.queueId(), outcomes, attempts, next)).thenRun(st -> {
            r.indices().forEach(i -> inFlight.remove(r.queueId() + "#" + i));
            for (TargetOutcome o : outcomes) {
                String decision = switch (o.status().state()) {
                    case DELIVERED -> "sent";
                    case PENDING -> "deferred";
                    default -> "bounced";
                };
                String reason = o.status().reason();
                if (o.status().state() == TargetStatus.State.PENDING && next != null) {
                    reason = reason + " (next attempt in " + DeliveryLog.describe(Duration.between(now, next)) + ")";
                }
                parsed.logDecision(m, m.targets().get(o.index()), decision, o.remoteMta(), reason);
                counters.count(o.status().state());
            }
            notifications.maybeReport(st, r.queueId());
            schedule(st);
        });
    }

    /** Arms one timer for the earliest retry or delay warning of the partition. */
    void schedule(QueueState s) {
        Instant earliest = null;
        Duration warning = outbound.delayWarning();
        for (QueuedMessage m : s.messages().values()) {
            boolean waiting = false;
            for (int i = 0; i < m.targets().size() && !waiting; i++) {
                waiting = waiting(m, i);
            }
            if (!waiting) {
                continue;
            }
            MessageProgress p = s.progress(m.queueId());
            Instant due = null;
            if (outbound.transport() != null) {
                due = p.nextAttempt() == null ? Instant.now() : p.nextAttempt();
            }
            if (!warning.isZero() && !p.delayWarned() && !notifications.reporting(m.queueId())
                    && !Reports.delayIndices(m).isEmpty()) {
                Instant warnAt = m.envelope().receivedAt().plus(warning);
                due = due == null || warnAt.isBefore(due) ? warnAt : due;
            }
            if (due != null && (earliest == null || due.isBefore(earliest))) {
                earliest = due;
            }
        }
        if (earliest == null) {
            timers.cancel(TIMER);
            return;
        }
        Duration wait = Duration.between(Instant.now(), earliest);
        timers.startSingleTimer(TIMER, new QueuePartition.RemoteTick(), wait.isNegative() ? Duration.ZERO : wait);
    }
}
