package io.mailfleet.protocols.imap;

/** A command that does not follow the IMAP grammar; answered with BAD and the message. */
final class ImapParseException extends RuntimeException {
    ImapParseException(String message) {
        super(message);
    }
}
