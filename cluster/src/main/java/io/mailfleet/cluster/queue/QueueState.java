package io.mailfleet.cluster.queue;

import java.util.LinkedHashMap;
import java.util.Map;

/** The messages a partition still owns, in acceptance order. Confined to its entity. */
public final class QueueState {
    private final LinkedHashMap<String, QueuedMessage> messages = new LinkedHashMap<>();

    public Map<String, QueuedMessage> messages() {
        return messages;
    }

    void put(QueuedMessage m) {
        if (m.finished()) {
            messages.remove(m.queueId());
        } else {
            messages.put(m.queueId(), m);
        }
    }
}
