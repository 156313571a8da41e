package io.mailfleet.core.ratelimit;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Cluster-wide counters behind the rate limits: every node asks the same owner of a key. */
public interface RateLimiter {

    /** Counts one event of {@code key} under {@code limit}; false (not counted) when it would exceed it. */
    CompletionStage<Boolean> tryAcquire(RateLimit limit, String key);

    /** The keys refused recently (within their window), for the operator. */
    CompletionStage<List<Limited>> limited();

    /** Forgets every count of {@code key} under every limit; completes with how many counters were reset. */
    CompletionStage<Integer> reset(String key);

    /**
     * A key that a limit refused.
     *
     * @param refusedAt epoch milliseconds of the last refusal
     * @param refusals  refusals since it was first refused in the current run of refusals
     */
    record Limited(String limit, String key, long max, long windowSeconds, long refusedAt, long refusals) {
    }
}
