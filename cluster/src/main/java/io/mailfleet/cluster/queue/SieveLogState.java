package io.mailfleet.cluster.queue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What one account's Sieve scripts remember between deliveries: vacation replies sent (key handle and
 * sender) and duplicate-test ids tracked (key handle and id), each until an expiry, with the delivery
 * that recorded it, so the same delivery retried after a crash gets the same answer. Immutable; also
 * the persisted snapshot.
 */
public record SieveLogState(Map<String, Mark> vacations, Map<String, Mark> duplicates) {

    /** Valid until {@code until}; recorded by the delivery {@code decisionKey}. */
    public record Mark(Instant until, String decisionKey) {
    }

    public SieveLogState {
        vacations = Map.copyOf(vacations);
        duplicates = Map.copyOf(duplicates);
    }

    static SieveLogState empty() {
        return new SieveLogState(Map.of(), Map.of());
    }

    SieveLogState withVacation(String key, Mark mark, Instant now) {
        return new SieveLogState(put(vacations, key, mark, now), duplicates);
    }

    SieveLogState withDuplicate(String key, Mark mark, Instant now) {
        return new SieveLogState(vacations, put(duplicates, key, mark, now));
    }

    /** Adds the mark and forgets expired ones, so the state stays as small as the live marks. */
    private static Map<String, Mark> put(Map<String, Mark> m, String key, Mark mark, Instant now) {
        Map<String, Mark> out = new HashMap<>();
        for (Map.Entry<String, Mark> e : m.entrySet()) {
            if (e.getValue().until().isAfter(now)) {
                out.put(e.getKey(), e.getValue());
            }
        }
        out.put(key, mark);
        return out;
    }
}
