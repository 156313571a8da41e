package io.mailfleet.core.mailbox;

/**
 * A refused mailbox operation. {@link #code()} is an IMAP response code without brackets
 * (NONEXISTENT, ALREADYEXISTS, CANNOT, INUSE, OVERQUOTA, TRYCREATE, LIMIT).
 */
public final class MailboxException extends RuntimeException {
    private final String code;

    public MailboxException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
