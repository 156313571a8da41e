package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.delivery.report.Reports;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The messages a partition still owns, in acceptance order, with their remote delivery progress. A
 * message leaves once no target is waiting and no notice is owed to its sender. Confined to its entity.
 */
public final class QueueState {
    private final LinkedHashMap<String, QueuedMessage> messages = new LinkedHashMap<>();
    private final Map<String, MessageProgress> progress = new HashMap<>();
    /** Persisted Sieve decisions of local targets, by queue id then target index. */
    private final Map<String, Map<Integer, SievePlan>> plans = new HashMap<>();
    /** Queue ids of the messages received with REQUIRETLS (RFC 8689). */
    private final java.util.Set<String> requireTls = new java.util.HashSet<>();

    public Map<String, QueuedMessage> messages() {
        return messages;
    }

    /** Progress of a message (initial when it never went through a remote attempt). */
    public MessageProgress progress(String queueId) {
        MessageProgress p = progress.get(queueId);
        return p == null ? MessageProgress.initial(queueId) : p;
    }

    /** The Sieve decision for a local target, or null when none was persisted. */
    public SievePlan plan(String queueId, int index) {
        Map<Integer, SievePlan> p = plans.get(queueId);
        return p == null ? null : p.get(index);
    }

    /** Sieve decisions worth keeping in a snapshot. */
    Map<String, Map<Integer, SievePlan>> planRecords() {
        return plans;
    }

    void putPlan(String queueId, int index, SievePlan plan) {
        if (messages.containsKey(queueId)) {
            plans.computeIfAbsent(queueId, k -> new HashMap<>()).put(index, plan);
        }
    }

    /** Progress records worth keeping in a snapshot. */
    Map<String, MessageProgress> progressRecords() {
        return progress;
    }

    void put(QueuedMessage m) {
        if (m.finished() && !Reports.owed(m, progress(m.queueId()))) {
            remove(m.queueId());
        } else {
            messages.put(m.queueId(), m);
        }
    }

    void putProgress(MessageProgress p) {
        QueuedMessage m = messages.get(p.queueId());
        if (m == null) {
            return;
        }
        progress.put(p.queueId(), p);
        put(m);
    }

    /** Sets a message and its progress together, then drops the message if it is done. */
    void update(QueuedMessage m, MessageProgress p) {
        messages.put(m.queueId(), m);
        progress.put(m.queueId(), p);
        put(m);
    }

    /** Restores a message from a snapshot as it was, without re-deciding anything. */
    void restore(QueuedMessage m, MessageProgress p) {
        messages.put(m.queueId(), m);
        if (p != null) {
            progress.put(m.queueId(), p);
        }
    }

    void remove(String queueId) {
        messages.remove(queueId);
        progress.remove(queueId);
        plans.remove(queueId);
        requireTls.remove(queueId);
    }

    /** True when the message was received with REQUIRETLS: it may only be relayed over verified TLS. */
    public boolean requiresTls(String queueId) {
        return requireTls.contains(queueId);
    }

    void markRequireTls(String queueId) {
        if (messages.containsKey(queueId)) {
            requireTls.add(queueId);
        }
    }
}
