package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.cache.UsageCache;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Publishes one mailbox's quota usage to the replicated map every node's {@link UsageCache} reads
 * (the RCPT quota check), at most once per {@link #INTERVAL}: the first change goes out at once (a
 * quota check right after a delivery sees it), later ones within the interval are folded into one
 * update at its end. Every update rewrites the replicated map on this node, so one per delivery
 * would cost more than the delivery's own bookkeeping under load.
 */
final class UsagePublisher {

    /** Shortest time between two quota usage publications of one mailbox. */
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final String account;
    private final ActorContext<MailboxEntity.Command> context;
    private final ReplicatorMessageAdapter<MailboxEntity.Command, LWWMap<String, Long>> replicator;
    private final SelfUniqueAddress self;
    /** The entity's last sequence number: the usage's version, so a newer incarnation's value wins. */
    private final LongSupplier version;
    private long lastNanos = System.nanoTime() - INTERVAL.toNanos();
    private boolean scheduled;

    UsagePublisher(String account, ActorContext<MailboxEntity.Command> context,
                   ReplicatorMessageAdapter<MailboxEntity.Command, LWWMap<String, Long>> replicator,
                   LongSupplier version) {
        this.account = account;
        this.context = context;
        this.replicator = replicator;
        this.self = DistributedData.get(context.getSystem()).selfUniqueAddress();
        this.version = version;
    }

    /** The usage changed to {@code used} bytes. */
    void changed(long used) {
        if (scheduled) {
            return;
        }
        long sinceLast = System.nanoTime() - lastNanos;
        if (sinceLast >= INTERVAL.toNanos()) {
            send(used);
        } else {
            scheduled = true;
            context.scheduleOnce(INTERVAL.minusNanos(sinceLast), context.getSelf(), new MailboxEntity.UsageDue());
        }
    }

    /** The interval is over ({@link MailboxEntity.UsageDue}): publish the usage now current. */
    void due(long used) {
        scheduled = false;
        send(used);
    }

    private void send(long used) {
        lastNanos = System.nanoTime();
        long v = version.getAsLong();
        LWWRegister.Clock<Long> clock = (current, value) -> v;
        replicator.askUpdate(
                ask -> new Replicator.Update<>(UsageCache.KEY, LWWMap.empty(), Replicator.writeLocal(), ask,
                        map -> map.put(self, account, used, clock)),
                rsp -> new MailboxEntity.UsagePublished());
    }
}
