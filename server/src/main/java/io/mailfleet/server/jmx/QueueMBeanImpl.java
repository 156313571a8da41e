package io.mailfleet.server.jmx;

import io.mailfleet.cluster.queue.ClusterMailQueue;
import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.cluster.queue.QueuePartition.ControlAction;
import io.mailfleet.server.api.QueueState;
import org.apache.pekko.actor.typed.ActorSystem;

import javax.management.ObjectName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The {@link QueueMXBean} of one node, registered as {@code io.mailfleet:type=Queue,name=<host>_<port>}. */
public final class QueueMBeanImpl extends RegisteredBean implements QueueMXBean {

    private static final long TIMEOUT_SECONDS = 30;

    private final ClusterMailQueue queue;

    private QueueMBeanImpl(ClusterMailQueue queue, ObjectName name) {
        super(name);
        this.queue = queue;
    }

    /** Registers the bean with the platform MBean server (replacing a stale one of the same name). */
    public static QueueMBeanImpl register(ActorSystem<?> system, ClusterMailQueue queue) throws Exception {
        return MBeans.register(system, "Queue", name -> new QueueMBeanImpl(queue, name));
    }

    @Override
    public int getDepth() {
        return entries().size();
    }

    @Override
    public int getDeferredCount() {
        return (int) entries().stream().filter(e -> QueueState.of(e) == QueueState.DEFERRED).count();
    }

    @Override
    public long getOldestAgeSeconds() {
        Instant now = Instant.now();
        return entries().stream()
                .mapToLong(e -> Math.max(0, Duration.between(e.message().envelope().receivedAt(), now).toSeconds()))
                .max().orElse(0);
    }

    @Override
    public long getDeliveredCount() {
        return queue.counters().delivered();
    }

    @Override
    public long getBouncedCount() {
        return queue.counters().bounced();
    }

    @Override
    public long getDeferredAttempts() {
        return queue.counters().deferred();
    }

    @Override
    public int flush() {
        return await(queue.control(ControlAction.FLUSH, null).toCompletableFuture());
    }

    @Override
    public int flush(String queueId) {
        if (queueId == null || queueId.isBlank()) {
            throw new IllegalArgumentException("a queue id is required (see the Depth listing or `./mailfleet queue list`)");
        }
        return await(queue.control(ControlAction.FLUSH, queueId.strip().toUpperCase(Locale.ROOT)).toCompletableFuture());
    }

    private List<QueueEntry> entries() {
        return await(queue.inspect().toCompletableFuture());
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        return MBeans.await(f, TIMEOUT_SECONDS, "queue");
    }
}
