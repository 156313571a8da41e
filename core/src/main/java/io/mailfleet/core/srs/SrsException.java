package io.mailfleet.core.srs;

/** An address could not be SRS-reversed (not SRS, bad hash, expired timestamp, malformed). */
public final class SrsException extends Exception {
    public SrsException(String message) {
        super(message);
    }
}
