package io.mailfleet.cluster.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds the local deliveries one queue partition has in flight: per mailbox and in all. A target
 * over the bound waits here (in arrival order) while its message stays pending in the partition's
 * durable state, so a burst to one account is back-pressured by the queue instead of piling up in
 * the mailbox actor. Confined to its partition actor.
 */
final class DeliveryGate {

    private final int perMailbox;
    private final int total;
    /** Target key (queue id # index) to its mailbox, for every delivery in flight. */
    private final Map<String, String> holders = new HashMap<>();
    private final Map<String, Integer> perAccount = new HashMap<>();
    /** Targets refused a slot, oldest first, with their mailbox. */
    private final LinkedHashMap<String, String> waiting = new LinkedHashMap<>();

    DeliveryGate(int perMailbox, int total) {
        if (perMailbox < 1 || total < perMailbox) {
            throw new IllegalArgumentException("need 1 <= perMailbox <= total, got " + perMailbox + ", " + total);
        }
        this.perMailbox = perMailbox;
        this.total = total;
    }

    /** Takes a slot for {@code key} (true, also when it holds one already) or records it as waiting (false). */
    boolean tryAcquire(String key, String mailbox) {
        if (holders.containsKey(key)) {
            return true;
        }
        if (holders.size() >= total || perAccount.getOrDefault(mailbox, 0) >= perMailbox) {
            waiting.putIfAbsent(key, mailbox);
            return false;
        }
        waiting.remove(key);
        holders.put(key, mailbox);
        perAccount.merge(mailbox, 1, Integer::sum);
        return true;
    }

    /** Frees the slot of {@code key}, if it holds one (then true). */
    boolean release(String key) {
        String mailbox = holders.remove(key);
        if (mailbox != null) {
            perAccount.computeIfPresent(mailbox, (k, n) -> n == 1 ? null : n - 1);
        }
        return mailbox != null;
    }

    /** Forgets a waiting target that no longer needs a slot (delivered otherwise, deleted). */
    void forget(String key) {
        waiting.remove(key);
    }

    /**
     * Waiting targets that would get a slot now, oldest first; they stay waiting until they
     * {@link #tryAcquire} it.
     */
    List<String> admissible() {
        List<String> out = new ArrayList<>();
        int room = total - holders.size();
        Map<String, Integer> taken = new HashMap<>();
        for (Map.Entry<String, String> w : waiting.entrySet()) {
            if (out.size() >= room) {
                break;
            }
            int used = perAccount.getOrDefault(w.getValue(), 0) + taken.getOrDefault(w.getValue(), 0);
            if (used < perMailbox) {
                out.add(w.getKey());
                taken.merge(w.getValue(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** Keys holding a slot for targets of the message {@code queueId}. */
    List<String> holdersOf(String queueId) {
        String prefix = queueId + "#";
        List<String> out = new ArrayList<>();
        for (String key : holders.keySet()) {
            if (key.startsWith(prefix)) {
                out.add(key);
            }
        }
        return out;
    }

    int inFlight() {
        return holders.size();
    }

    int waiting() {
        return waiting.size();
    }
}
