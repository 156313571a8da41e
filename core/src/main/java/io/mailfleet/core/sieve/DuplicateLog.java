package io.mailfleet.core.sieve;

import java.time.Duration;

/** Tracking store of the duplicate test (RFC 7352), keyed by handle and unique id. */
public interface DuplicateLog {
    /** True if {@code id} was tracked under {@code handle} and has not expired. */
    boolean seen(String handle, String id);

    /**
     * Records {@code id} for {@code period}; called only after the script chain finished without error.
     * {@code last} (RFC 7352 :last) means the expiry restarts from now even if it was already tracked.
     */
    void track(String handle, String id, Duration period, boolean last);
}
