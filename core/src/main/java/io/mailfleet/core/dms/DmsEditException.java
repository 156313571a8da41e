package io.mailfleet.core.dms;

/** An edit of a docker-mailserver config file is refused; the message is the one {@code setup} would give. */
public class DmsEditException extends IllegalArgumentException {
    public DmsEditException(String message) {
        super(message);
    }
}
