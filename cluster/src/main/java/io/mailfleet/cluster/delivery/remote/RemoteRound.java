package io.mailfleet.cluster.delivery.remote;

import io.mailfleet.cluster.delivery.DeliveryLog;
import io.mailfleet.cluster.queue.MessageProgress;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.TargetOutcome;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.core.service.RemoteTransport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns the answers of one remote delivery round (or its expiry) into the new status of each target. */
public final class RemoteRound {

    private RemoteRound() {
    }

    /** The targets that changed and whether any of them is deferred (then a next round is due). */
    public record Result(List<TargetOutcome> outcomes, boolean deferred) {
        public Result {
            outcomes = List.copyOf(outcomes);
        }
    }

    /**
     * @param answers  transport answers aligned with {@code indices} (null: the round failed locally)
     * @param expired  the message outlived the queue lifetime: its waiting targets fail with 4.4.7
     * @param lifetime the queue lifetime, for the expiry reason
     */
    public static Result of(QueuedMessage m, MessageProgress p, List<Integer> indices,
                           List<RemoteTransport.RecipientOutcome> answers, boolean expired, Duration lifetime,
                           Instant now) {
        List<TargetOutcome> outcomes = new ArrayList<>();
        boolean deferred = false;
        for (int k = 0; k < indices.size(); k++) {
            int i = indices.get(k);
            TargetStatus current = m.status().get(i);
            if (current.state() != TargetStatus.State.PENDING) {
                continue;
            }
            if (expired) {
                TargetOutcome prev = p.outcome(i);
                outcomes.add(new TargetOutcome(i, new TargetStatus(TargetStatus.State.FAILED,
                        "message expired after " + DeliveryLog.describe(lifetime) + " in the queue; last error: "
                                + current.reason(), now), "4.4.7", prev == null ? "none" : prev.remoteMta(), false));
                continue;
            }
            RemoteTransport.RecipientOutcome o = answers == null || k >= answers.size() ? null : answers.get(k);
            if (o == null) {
                outcomes.add(new TargetOutcome(i, new TargetStatus(TargetStatus.State.PENDING,
                        "local error: no delivery result", now), "4.3.0", "none", false));
                deferred = true;
                continue;
            }
            TargetStatus.State state = switch (o.kind()) {
                case DELIVERED -> TargetStatus.State.DELIVERED;
                case PERMANENT -> TargetStatus.State.FAILED;
                case TEMPORARY -> TargetStatus.State.PENDING;
            };
            deferred |= state == TargetStatus.State.PENDING;
            outcomes.add(new TargetOutcome(i, new TargetStatus(state, o.diagnostic(), now), o.status(),
                    o.relay() == null ? "none" : o.relay(), state == TargetStatus.State.DELIVERED && !o.remoteDsn()));
        }
        return new Result(outcomes, deferred);
    }

    /** Every waiting target failed by the administrator ("returned to the sender"), except those in flight. */
    public static List<TargetOutcome> bounced(QueuedMessage m, MessageProgress p, java.util.function.IntPredicate inFlight,
                                              Instant now) {
        List<TargetOutcome> failed = new ArrayList<>();
        for (int i = 0; i < m.targets().size(); i++) {
            if (m.status().get(i).state() == TargetStatus.State.PENDING && !inFlight.test(i)) {
                TargetOutcome prev = p.outcome(i);
                failed.add(new TargetOutcome(i, new TargetStatus(TargetStatus.State.FAILED,
                        "returned to the sender by the administrator", now), "5.0.0",
                        prev == null ? "none" : prev.remoteMta(), false));
            }
        }
        return failed;
    }
}
