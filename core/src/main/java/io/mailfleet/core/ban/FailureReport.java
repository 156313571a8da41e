package io.mailfleet.core.ban;

/**
 * What counting one failure did: {@code failures} is the address's count in the jail's current
 * window including this one (the window starts again after a ban), {@code banned} whether the
 * address is banned now. {@link #NOT_COUNTED} for ignored addresses, disabled bans and errors.
 */
public record FailureReport(int failures, boolean banned) {

    /** Nothing was counted. */
    public static final FailureReport NOT_COUNTED = new FailureReport(0, false);
}
