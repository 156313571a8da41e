package io.mailfleet.cluster.delivery.local;

import io.mailfleet.cluster.mailbox.MailboxEntity;
import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.SievePlan;
import io.mailfleet.core.mime.MessageSummary;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Local delivery stage: hands one local target to its {@link MailboxEntity}, once per folder of its
 * Sieve decision. Idempotent per (queue id, target, folder): the delivery id makes a repeat after a
 * crash or a lost answer a no-op in the mailbox.
 */
public final class MailboxDelivery {

    private static final Duration MAILBOX_TIMEOUT = Duration.ofSeconds(30);

    private final ClusterSharding sharding;

    public MailboxDelivery(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    /** The mailbox's answers in the order of the plan's folders; fails when any folder did not answer. */
    public CompletionStage<List<MailboxEntity.Delivered>> store(QueuedMessage m, int index, SievePlan plan,
                                                               MessageSummary summary) {
        DeliveryTarget t = m.targets().get(index);
        List<CompletableFuture<MailboxEntity.Delivered>> answers = new ArrayList<>();
        for (SievePlan.Store store : plan.stores()) {
            String deliveryId = deliveryId(m.queueId(), index, store.folder());
            Set<String> flags = Set.copyOf(store.flags());
            answers.add(sharding.entityRefFor(MailboxEntity.TYPE_KEY, t.address())
                    .<MailboxEntity.Delivered>ask(reply -> new MailboxEntity.Deliver(deliveryId, store.folder(),
                            plan.blob(), m.envelope().receivedAt(), flags, summary, reply), MAILBOX_TIMEOUT)
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(v -> answers.stream().map(CompletableFuture::join).toList());
    }

    /** INBOX keeps the id deliveries had before Sieve ran, so a retry across an upgrade stays a no-op. */
    static String deliveryId(String queueId, int index, String folder) {
        return folder.equals("INBOX") ? queueId + ":" + index : queueId + ":" + index + ":" + folder;
    }

    /** "INBOX uid 7, Reports uid 2": where the target was stored, for its status and log line. */
    public static String where(List<MailboxEntity.Delivered> answers) {
        List<String> out = new ArrayList<>();
        answers.forEach(d -> out.add(d.folder() + " uid " + d.uid()));
        return String.join(", ", out);
    }
}
