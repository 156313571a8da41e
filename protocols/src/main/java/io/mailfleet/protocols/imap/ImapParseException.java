package io.mailfleet.protocols.imap;

/** A command that does not follow the IMAP grammar; answered with BAD and the message. */
public final class ImapParseException extends RuntimeException {
    public ImapParseException(String message) {
        super(message);
    }
}
