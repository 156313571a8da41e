package io.mailfleet.core.greylist;

/**
 * What greylisting decided for one triplet.
 *
 * @param outcome           why it passes or is deferred
 * @param retryAfterSeconds for a deferral, how many seconds until a retry passes; 0 otherwise
 */
public record GreylistDecision(Outcome outcome, long retryAfterSeconds) {

    /** Why. */
    public enum Outcome {
        /** First time this triplet was seen (or it expired): deferred. */
        NEW(false),
        /** Seen before, but the delay has not passed: deferred. */
        TOO_EARLY(false),
        /** The first retry after the delay: passes from now on. */
        PASSED_RETRY(true),
        /** A triplet that passed before. */
        KNOWN(true),
        /** The client network is auto-whitelisted. */
        CLIENT_WHITELISTED(true);

        private final boolean pass;

        Outcome(boolean pass) {
            this.pass = pass;
        }
    }

    /** Whether the recipient is accepted. */
    public boolean pass() {
        return outcome.pass;
    }
}
