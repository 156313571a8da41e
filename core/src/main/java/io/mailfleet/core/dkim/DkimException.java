package io.mailfleet.core.dkim;

/** A DKIM key, record, message or signature could not be used; the message names the problem. */
public class DkimException extends Exception {
    public DkimException(String message) {
        super(message);
    }

    public DkimException(String message, Throwable cause) {
        super(message, cause);
    }
}
