package io.mailfleet.core.mime;

/**
 * One RFC 3501 address structure: (name adl mailbox host). A group start is (NIL NIL group NIL),
 * a group end is (NIL NIL NIL NIL); every other address has a non-null mailbox and host.
 */
public record Address(String name, String adl, String mailbox, String host) {

    /** The marker opening a group named {@code group}. */
    public static Address groupStart(String group) {
        return new Address(null, null, group, null);
    }

    /** The marker closing the current group. */
    public static Address groupEnd() {
        return new Address(null, null, null, null);
    }

    public boolean isGroupStart() {
        return host == null && mailbox != null;
    }

    public boolean isGroupEnd() {
        return host == null && mailbox == null;
    }
}
