package io.mailfleet.server.scan;

/**
 * A scanner call that gave no verdict: the scanner is down, timed out, answered garbage, is busy or
 * its circuit is open. What the message gets then is the scanner's fail-open setting.
 */
public final class ScanFailure extends RuntimeException {

    /** Why: the metrics label of the call's outcome. */
    public enum Kind { ERROR, TIMEOUT, BUSY, CIRCUIT_OPEN }

    private final Kind kind;

    public ScanFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The failure behind {@code t} (unwrapping completion wrappers), or an ERROR one. */
    static ScanFailure of(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ScanFailure f) {
            return f;
        }
        if (c instanceof java.util.concurrent.TimeoutException) {
            return new ScanFailure(Kind.TIMEOUT, "no answer in time", c);
        }
        return new ScanFailure(Kind.ERROR, c.getMessage() == null ? c.toString() : c.toString(), c);
    }
}
