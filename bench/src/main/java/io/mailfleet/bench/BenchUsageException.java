package io.mailfleet.bench;

/** A bad benchmark command line; the message names the offending option and is shown to the user. */
public final class BenchUsageException extends Exception {

    public BenchUsageException(String message) {
        super(message);
    }
}
