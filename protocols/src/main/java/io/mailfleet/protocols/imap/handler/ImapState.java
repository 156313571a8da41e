package io.mailfleet.protocols.imap.handler;

/** The states of an IMAP connection (RFC 3501 §3). */
public enum ImapState {
    NOT_AUTHENTICATED("not authenticated"),
    AUTHENTICATED("authenticated"),
    SELECTED("selected"),
    LOGOUT("logout");

    private final String label;

    ImapState(String label) {
        this.label = label;
    }

    /** As quoted in the refusal of a command not valid in this state. */
    public String label() {
        return label;
    }
}
