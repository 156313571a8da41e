package io.mailfleet.protocols.imap.command;

import io.mailfleet.protocols.imap.Args;
import io.mailfleet.protocols.imap.MailboxNames;

import java.util.List;

/** What the grammar of a command depends on in the session: enabled extensions, the saved search result. */
public interface ParseContext {

    /** The hierarchy delimiter of mailbox names. */
    char delimiter();

    /** RFC 6855: mailbox names and charsets are UTF-8 after ENABLE UTF8=ACCEPT. */
    boolean utf8();

    /** RFC 7162: ENABLE QRESYNC was sent. */
    boolean qresync();

    /** SEARCHRES (RFC 5182): the uids {@code $} stands for. */
    List<Long> savedUids();

    /**
     * A CONDSTORE-enabling parameter was read (SELECT (CONDSTORE), STORE (UNCHANGEDSINCE)): it takes
     * effect as soon as it is read, even when a later part of the command is refused.
     */
    void condstoreRequested();

    /** A SEARCH ... RETURN (SAVE) was refused: {@code $} names no message any more (RFC 5182 §2.1). */
    void forgetSavedResult();

    /** Reads a mailbox name and decodes it from the wire (modified UTF-7, or UTF-8 when enabled). */
    default String mailbox(Args a) {
        return MailboxNames.fromWire(a.astring(), delimiter(), utf8());
    }
}
