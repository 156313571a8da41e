package io.mailfleet.cluster.queue;

import java.time.Instant;

/** Where one delivery target stands, with the reason of the last decision. */
public record TargetStatus(State state, String reason, Instant at) {

    /** Delivery states; only {@code PENDING} is waiting for more work. */
    public enum State { PENDING, DELIVERED, DISCARDED, FAILED }

    public static TargetStatus pending(String reason) {
        return new TargetStatus(State.PENDING, reason, Instant.now());
    }
}
