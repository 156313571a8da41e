package io.mailfleet.core.mtasts;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The cluster-wide MTA-STS policy cache: every node delivering to a domain sees the same policy. */
public interface PolicyCache {

    /** The cached policy of {@code domain} (lower case), expired or not; empty when none was stored. */
    CompletionStage<Optional<CachedPolicy>> get(String domain);

    /** Stores (replaces) the policy of its domain. */
    void put(CachedPolicy policy);

    /** A cache that forgets everything: each delivery discovers and fetches again. */
    static PolicyCache none() {
        return new PolicyCache() {
            @Override
            public CompletionStage<Optional<CachedPolicy>> get(String domain) {
                return java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
            }

            @Override
            public void put(CachedPolicy policy) {
            }
        };
    }
}
