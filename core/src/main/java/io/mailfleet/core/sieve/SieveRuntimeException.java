package io.mailfleet.core.sieve;

/**
 * A script failed while running (resource limit, conflicting actions, bad runtime value).
 * Contract: whoever catches it must fall back to implicit keep (deliver to INBOX) and log the
 * reason; {@link SieveEngine#run} already does so and never lets a script lose mail.
 */
public final class SieveRuntimeException extends RuntimeException {
    private final int line;

    public SieveRuntimeException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
