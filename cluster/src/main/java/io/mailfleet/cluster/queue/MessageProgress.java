package io.mailfleet.cluster.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Remote delivery and notification progress of a queued message: the persisted retry schedule, the
 * last outcome per remote target, and which targets the sender has been told about.
 *
 * @param attempts     remote delivery rounds so far
 * @param nextAttempt  earliest time of the next round, or null for "as soon as possible"
 * @param outcomes     last outcome per target index that went through a remote attempt
 * @param reported     target indices covered by a failure or success notice already sent
 * @param delayWarned  a delay warning was sent
 */
public record MessageProgress(String queueId, int attempts, Instant nextAttempt, List<TargetOutcome> outcomes,
                              List<Integer> reported, boolean delayWarned) {
    public MessageProgress {
        outcomes = List.copyOf(outcomes);
        reported = List.copyOf(reported);
    }

    public static MessageProgress initial(String queueId) {
        return new MessageProgress(queueId, 0, null, List.of(), List.of(), false);
    }

    /** The last remote outcome of a target, or null. */
    public TargetOutcome outcome(int index) {
        for (TargetOutcome o : outcomes) {
            if (o.index() == index) {
                return o;
            }
        }
        return null;
    }

    MessageProgress withOutcomes(List<TargetOutcome> latest, int newAttempts, Instant next) {
        List<TargetOutcome> merged = new ArrayList<>();
        for (TargetOutcome o : outcomes) {
            if (latest.stream().noneMatch(l -> l.index() == o.index())) {
                merged.add(o);
            }
        }
        merged.addAll(latest);
        return new MessageProgress(queueId, newAttempts, next, merged, reported, delayWarned);
    }

    MessageProgress withReported(List<Integer> indices, boolean delayWarning) {
        Set<Integer> all = new LinkedHashSet<>(reported);
        all.addAll(indices);
        return new MessageProgress(queueId, attempts, nextAttempt, outcomes, new ArrayList<>(all), delayWarned || delayWarning);
    }
}
