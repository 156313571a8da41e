package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.delivery.DeliveryLog;
import io.mailfleet.cluster.delivery.LocalDeliveryFlow;
import io.mailfleet.cluster.delivery.expansion.RecipientExpansion;
import io.mailfleet.cluster.delivery.sieve.SieveDelivery;
import io.mailfleet.core.service.DirectoryService;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Persists what the local delivery stream decided for a target (inbound checks, Sieve) before any of it
 * happens, with the messages the decision creates (redirected copies, vacation reply) accepted into
 * this partition and started. Confined to its partition actor.
 */
final class DecisionRecorder {

    private final EffectFactories<QueuePartition.Event, QueueState> effects;
    private final RecipientExpansion expansion;
    private final DirectoryService directory;
    private final int partitions;
    private final int partitionNumber;
    private final QueueCounters counters;
    private final ParsedMessages parsed;
    private final Notifications notifications;
    private final RemoteProgress remote;
    private final BiConsumer<QueueState, QueuedMessage> startDeliveries;

    DecisionRecorder(EffectFactories<QueuePartition.Event, QueueState> effects, RecipientExpansion expansion,
                     DirectoryService directory, int partitions, int partitionNumber, QueueCounters counters,
                     ParsedMessages parsed, Notifications notifications, RemoteProgress remote,
                     BiConsumer<QueueState, QueuedMessage> startDeliveries) {
        this.effects = effects;
        this.expansion = expansion;
        this.directory = directory;
        this.partitions = partitions;
        this.partitionNumber = partitionNumber;
        this.counters = counters;
        this.parsed = parsed;
        this.notifications = notifications;
        this.remote = remote;
        this.startDeliveries = startDeliveries;
    }

    /** The stream asks to persist a decision (checks, Sieve) before any of it happens. */
    Effect<QueuePartition.Event, QueueState> onRecord(QueueState s, QueuePartition.RecordDecision r) {
        QueuedMessage m = s.messages().get(r.job().message().queueId());
        if (m == null) {
            return effects.reply(r.replyTo(), LocalDeliveryFlow.Recorded.GONE);
        }
        int index = r.job().index();
        DeliveryTarget t = m.targets().get(index);
        SieveDelivery.Outcome o = r.outcome();
        List<QueuedMessage> derived = new ArrayList<>();
        for (SieveDelivery.Derived d : o.derived()) {
            derived.add(expansion.expand(newQueueId(s), d.envelope(), d.blob(), directory.view()));
        }
        return effects.persist(new QueuePartition.SieveDecided(m.queueId(), index, o.plan(), o.finalStatus(), derived))
                .thenRun(st -> {
                    for (int k = 0; k < derived.size(); k++) {
                        QueuedMessage d = derived.get(k);
                        DeliveryLog.LOG.info("queue={} from=<{}> to=<{}> sieve={} new_queue={} to=<{}>", m.queueId(),
                                m.envelope().sender(), t.address(), o.derived().get(k).kind(), d.queueId(),
                                d.envelope().recipients().get(0).address());
                        DeliveryLog.accepted(d);
                        startDeliveries.accept(st, st.messages().get(d.queueId()));
                        notifications.maybeReport(st, d.queueId());
                    }
                    if (o.finalStatus() != null) {
                        TargetStatus fs = o.finalStatus();
                        parsed.logDecision(m, t, switch (fs.state()) {
                            case FAILED -> "bounced";
                            case DISCARDED -> "discarded";
                            default -> "sent";
                        }, fs.reason().startsWith("rejected by inbound checks") ? "checks" : "sieve", fs.reason());
                        counters.count(fs.state());
                        if (st.messages().containsKey(m.queueId())) {
                            notifications.maybeReport(st, m.queueId());
                        }
                        remote.schedule(st);
                    }
                })
                .thenReply(r.replyTo(), st -> o.finalStatus() != null ? LocalDeliveryFlow.Recorded.FINISHED
                        : LocalDeliveryFlow.Recorded.STORE);
    }

    /** A fresh queue id owned by this partition, so operators find derived messages where they live. */
    private String newQueueId(QueueState s) {
        while (true) {
            String id = QueueIds.next();
            if (QueueIds.partitionOf(id, partitions) == partitionNumber && !s.messages().containsKey(id)) {
                return id;
            }
        }
    }
}
