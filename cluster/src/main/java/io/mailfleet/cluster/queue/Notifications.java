package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.delivery.DeliveryLog;
import io.mailfleet.cluster.delivery.report.ReportSender;
import io.mailfleet.cluster.delivery.report.Reports;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The notifications a queue partition owes senders (delivery status notifications and delay warnings):
 * built and queued off the actor, one at a time per message, and recorded once queued. Confined to its
 * partition actor.
 */
final class Notifications {

    private final ActorContext<QueuePartition.Command> context;
    private final EffectFactories<QueuePartition.Event, QueueState> effects;
    private final ReportSender sender;
    private final OutboundPolicy outbound;
    private final Runnable retryLater;
    /** Messages whose notification is being built and queued. */
    private final Set<String> reporting = new HashSet<>();

    Notifications(ActorContext<QueuePartition.Command> context, EffectFactories<QueuePartition.Event, QueueState> effects,
                  ReportSender sender, OutboundPolicy outbound, Runnable retryLater) {
        this.context = context;
        this.effects = effects;
        this.sender = sender;
        this.outbound = outbound;
        this.retryLater = retryLater;
    }

    /** Whether the message's notification is being queued right now. */
    boolean reporting(String queueId) {
        return reporting.contains(queueId);
    }

    /** Queues the notification the message owes its sender, if any (one at a time per message). */
    void maybeReport(QueueState s, String queueId) {
        QueuedMessage m = s.messages().get(queueId);
        if (m == null || reporting.contains(queueId)) {
            return;
        }
        MessageProgress p = s.progress(queueId);
        List<Integer> owed = Reports.owedIndices(m, p);
        List<Integer> delayed = List.of();
        Duration warning = outbound.delayWarning();
        if (!warning.isZero() && !p.delayWarned()
                && !Instant.now().isBefore(m.envelope().receivedAt().plus(warning))) {
            delayed = Reports.delayIndices(m);
        }
        if (owed.isEmpty() && delayed.isEmpty()) {
            return;
        }
        reporting.add(queueId);
        List<Integer> delayedFinal = delayed;
        context.pipeToSelf(sender.send(m, p, owed, delayed), (id, err) -> new QueuePartition.ReportDone(queueId, owed,
                delayedFinal, id, err == null ? null : String.valueOf(err.getCause() != null ? err.getCause() : err)));
    }

    /** Records a queued notification, then plans the message's next one and the partition's next wake-up. */
    Effect<QueuePartition.Event, QueueState> onReportDone(QueueState s, QueuePartition.ReportDone r,
                                                          Consumer<QueueState> reschedule) {
        reporting.remove(r.queueId());
        if (r.error() != null) {
            DeliveryLog.LOG.error("queue={} notification to the sender could not be queued, will retry: {}", r.queueId(),
                    r.error());
            retryLater.run();
            return effects.none();
        }
        QueuedMessage m = s.messages().get(r.queueId());
        if (m == null) {
            return effects.none();
        }
        return effects.persist(new QueuePartition.Reported(r.queueId(), r.indices(), !r.delayed().isEmpty(),
                        r.reportQueueId()))
                .thenRun(st -> {
                    DeliveryLog.LOG.info("queue={} from=<{}> notice={} report_queue={} recipients={}", m.queueId(),
                            m.envelope().sender(), r.indices().isEmpty() ? "delay" : "dsn", r.reportQueueId(),
                            r.indices().size() + r.delayed().size());
                    maybeReport(st, r.queueId());
                    reschedule.accept(st);
                });
    }
}
