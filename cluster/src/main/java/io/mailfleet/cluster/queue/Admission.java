package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.delivery.DeliveryLog;
import io.mailfleet.cluster.delivery.expansion.RecipientExpansion;
import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.core.service.DirectoryService;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Takes accepted messages into a partition: looks their recipients up in an external directory when it
 * has not answered yet, expands them into delivery targets, persists the acceptance (with its
 * REQUIRETLS tag) and starts the deliveries, with the parse the message came with when it has one. A
 * repeated enqueue is answered without writing. Confined to its partition actor.
 */
final class Admission {

    private final ActorContext<QueuePartition.Command> context;
    private final EffectFactories<QueuePartition.Event, QueueState> effects;
    private final DirectoryService directory;
    private final RecipientExpansion expansion;
    private final QueueCounters counters;
    private final Notifications notifications;
    private final ParsedMessages parsed;
    private final BiConsumer<QueueState, QueuedMessage> startDeliveries;

    Admission(ActorContext<QueuePartition.Command> context, EffectFactories<QueuePartition.Event, QueueState> effects,
              DirectoryService directory, RecipientExpansion expansion, QueueCounters counters,
              Notifications notifications, ParsedMessages parsed,
              BiConsumer<QueueState, QueuedMessage> startDeliveries) {
        this.context = context;
        this.effects = effects;
        this.directory = directory;
        this.expansion = expansion;
        this.counters = counters;
        this.notifications = notifications;
        this.parsed = parsed;
        this.startDeliveries = startDeliveries;
    }

    /** {@code parse}: the message's parse from the end of its data, or null (then parsed when delivered). */
    Effect<QueuePartition.Event, QueueState> onEnqueue(QueueState s, QueuePartition.Enqueue e, boolean requireTls,
                                                       ParsedMessage parse) {
        QueuedMessage known = s.messages().get(e.queueId());
        if (known != null) {
            return effects.reply(e.replyTo(), new QueuePartition.Enqueued(e.queueId()));
        }
        // An external directory (LDAP) may not have these recipients in this node's view yet: expanding
        // them now would call a local user unknown. Files answer at once and change nothing here.
        CompletableFuture<Void> lookedUp = CompletableFuture.allOf(
                e.envelope().recipients().stream().map(r -> directory.prefetch(r.address(), null))
                        .toArray(CompletableFuture[]::new));
        if (!lookedUp.isDone() || lookedUp.isCompletedExceptionally()) {
            context.pipeToSelf(lookedUp, (ok, err) -> new QueuePartition.RecipientsLookedUp(e,
                    err == null ? null : String.valueOf(err), requireTls, parse));
            return effects.none();
        }
        return accept(e, requireTls, parse);
    }

    Effect<QueuePartition.Event, QueueState> onRecipientsLookedUp(QueueState s, QueuePartition.RecipientsLookedUp r) {
        if (s.messages().containsKey(r.enqueue().queueId())) {
            return effects.reply(r.enqueue().replyTo(), new QueuePartition.Enqueued(r.enqueue().queueId()));
        }
        if (r.error() != null) {
            // no reply: the sender's ask times out and the client gets a 4xx, so it retries later
            DeliveryLog.LOG.warn("queue={} not taken: directory unavailable ({})", r.enqueue().queueId(), r.error());
            return effects.none();
        }
        return accept(r.enqueue(), r.requireTls(), r.parsed());
    }

    private Effect<QueuePartition.Event, QueueState> accept(QueuePartition.Enqueue e, boolean requireTls,
                                                            ParsedMessage parse) {
        QueuedMessage m = expansion.expand(e.queueId(), e.envelope(), e.blob(), directory.view());
        List<QueuePartition.Event> events = requireTls
                ? List.of(new QueuePartition.Accepted(m), new QueuePartition.RequireTlsMarked(m.queueId()))
                : List.of(new QueuePartition.Accepted(m));
        return effects.persist(events).thenRun(st -> {
            e.replyTo().tell(new QueuePartition.Enqueued(e.queueId()));
            DeliveryLog.accepted(m);
            if (requireTls) {
                DeliveryLog.LOG.info("queue={} REQUIRETLS: relayed only over verified TLS to servers offering REQUIRETLS",
                        m.queueId());
            }
            for (TargetStatus ts : m.status().values()) {
                if (ts.state() == TargetStatus.State.FAILED) {
                    counters.count(ts.state());
                }
            }
            if (parse != null && parse.blob().equals(m.blob()) && deliversLocally(m)) {
                // the parse made at the end of data serves the delivery starting now (in memory only)
                parsed.keep(m.queueId(), parse);
            }
            startDeliveries.accept(st, st.messages().get(m.queueId()));
            notifications.maybeReport(st, m.queueId());
        });
    }

    /** Whether a local target waits for delivery: only those read the parse (the rest never would). */
    private static boolean deliversLocally(QueuedMessage m) {
        for (int i = 0; i < m.targets().size(); i++) {
            if (m.targets().get(i).kind() == DeliveryTarget.Kind.LOCAL
                    && m.status().get(i).state() == TargetStatus.State.PENDING) {
                return true;
            }
        }
        return false;
    }
}
