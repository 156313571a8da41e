package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.delivery.remote.RemoteRound;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.time.Instant;
import java.util.List;

/**
 * Operator actions on a partition's queued messages (flush, delete, bounce), answered with how many
 * messages they affected. Confined to its partition actor.
 */
final class OperatorControl {

    private final EffectFactories<QueuePartition.Event, QueueState> effects;
    private final QueueCounters counters;
    private final ParsedMessages parsed;
    private final LocalProgress local;
    private final RemoteProgress remote;
    private final Notifications notifications;

    OperatorControl(EffectFactories<QueuePartition.Event, QueueState> effects, QueueCounters counters,
                    ParsedMessages parsed, LocalProgress local, RemoteProgress remote, Notifications notifications) {
        this.effects = effects;
        this.counters = counters;
        this.parsed = parsed;
        this.local = local;
        this.remote = remote;
        this.notifications = notifications;
    }

    Effect<QueuePartition.Event, QueueState> onControl(QueueState s, QueuePartition.Control c) {
        if (c.action() == QueuePartition.ControlAction.FLUSH) {
            int n = 0;
            for (QueuedMessage m : List.copyOf(s.messages().values())) {
                if (c.queueId() == null || c.queueId().equals(m.queueId())) {
                    n++;
                    remote.start(s, m, true);
                    notifications.maybeReport(s, m.queueId());
                }
            }
            return effects.reply(c.replyTo(), new QueuePartition.ControlResult(n));
        }
        QueuedMessage m = c.queueId() == null ? null : s.messages().get(c.queueId());
        if (m == null) {
            return effects.reply(c.replyTo(), new QueuePartition.ControlResult(0));
        }
        if (c.action() == QueuePartition.ControlAction.DELETE) {
            return effects.persist(new QueuePartition.Removed(m.queueId(), "deleted by the administrator")).thenRun(st -> {
                for (int i = 0; i < m.targets().size(); i++) {
                    if (m.status().get(i).state() == TargetStatus.State.PENDING) {
                        parsed.logDecision(m, m.targets().get(i), "deleted", "none", "deleted by the administrator");
                    }
                }
                parsed.forget(m.queueId());
                remote.schedule(st);
            }).thenReply(c.replyTo(), st -> new QueuePartition.ControlResult(1));
        }
        Instant now = Instant.now();
        MessageProgress p = s.progress(m.queueId());
        // a target in a delivery right now is left to it: its outcome decides
        List<TargetOutcome> failed = RemoteRound.bounced(m, p, i -> inFlight(m.queueId() + "#" + i), now);
        if (failed.isEmpty()) {
            return effects.reply(c.replyTo(), new QueuePartition.ControlResult(0));
        }
        return effects.persist(new QueuePartition.RemoteOutcomes(m.queueId(), failed, p.attempts(), null)).thenRun(st -> {
            for (TargetOutcome o : failed) {
                parsed.logDecision(m, m.targets().get(o.index()), "bounced", o.remoteMta(), o.status().reason());
                counters.count(TargetStatus.State.FAILED);
            }
            notifications.maybeReport(st, m.queueId());
            remote.schedule(st);
        }).thenReply(c.replyTo(), st -> new QueuePartition.ControlResult(1));
    }

    private boolean inFlight(String key) {
        return local.inFlight(key) || remote.inFlight(key);
    }
}
