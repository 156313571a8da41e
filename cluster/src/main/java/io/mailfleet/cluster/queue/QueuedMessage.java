package io.mailfleet.cluster.queue;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.queue.Envelope;

import java.util.List;
import java.util.Map;

/**
 * A message owned by a queue partition with the status of each of its targets (index into
 * {@link #targets()} to status).
 */
public record QueuedMessage(String queueId, Envelope envelope, BlobRef blob, List<DeliveryTarget> targets,
                            Map<Integer, TargetStatus> status) {
    public QueuedMessage {
        targets = List.copyOf(targets);
        status = Map.copyOf(status);
    }

    /** True when no target is waiting any more. */
    public boolean finished() {
        for (int i = 0; i < targets.size(); i++) {
            TargetStatus s = status.get(i);
            if (s == null || s.state() == TargetStatus.State.PENDING) {
                return false;
            }
        }
        return true;
    }

    public QueuedMessage with(int index, TargetStatus s) {
        Map<Integer, TargetStatus> m = new java.util.HashMap<>(status);
        m.put(index, s);
        return new QueuedMessage(queueId, envelope, blob, targets, m);
    }
}
