package io.mailfleet.protocols.imap.command;

import io.mailfleet.core.imap.SequenceSet;
import io.mailfleet.protocols.imap.Args;
import io.mailfleet.protocols.imap.ImapParseException;

import java.util.Locale;

/** Requests and grammar of SELECT, EXAMINE, CLOSE and UNSELECT (RFC 3501 §6.3.1–2, §6.4.2, RFC 3691, RFC 7162). */
public final class SelectionCommands {

    private SelectionCommands() {
    }

    /** SELECT or EXAMINE ({@code readOnly}); {@code qresync} null unless (QRESYNC (...)) was given. */
    public record Select(String mailbox, boolean readOnly, Qresync qresync) implements ImapRequest {
    }

    /** SELECT (QRESYNC (uidvalidity modseq [known-uids [seq-match-data]])); {@code knownUids} may be null. */
    public record Qresync(long uidValidity, long modseq, String knownUids) {
    }

    /** CLOSE, or UNSELECT (no expunge) when {@code unselect}. */
    public record Close(boolean unselect) implements ImapRequest {
    }

    public static Select select(Args a, ParseContext c) {
        return select(a, c, false);
    }

    public static Select examine(Args a, ParseContext c) {
        return select(a, c, true);
    }

    private static Select select(Args a, ParseContext c, boolean readOnly) {
        a.sp();
        String mbox = c.mailbox(a);
        Qresync qr = null;
        if (a.tryChar(' ')) {
            a.expect('(');
            while (true) {
                String p = a.atom().toUpperCase(Locale.ROOT);
                if (p.equals("CONDSTORE")) {
                    c.condstoreRequested();
                } else if (p.equals("QRESYNC")) {
                    if (!c.qresync()) {
                        throw new ImapParseException("QRESYNC must be enabled first (ENABLE QRESYNC)");
                    }
                    qr = qresync(a);
                } else {
                    throw new ImapParseException("unknown SELECT parameter " + p);
                }
                if (a.tryChar(')')) {
                    break;
                }
                a.sp();
            }
        }
        a.end();
        return new Select(mbox, readOnly, qr);
    }

    private static Qresync qresync(Args a) {
        a.sp();
        a.expect('(');
        long validity = a.number();
        a.sp();
        long modseq = a.number();
        String known = null;
        if (a.tryChar(' ')) {
            if (a.peek() != '(') {
                known = a.atom("*");
                checkSet(known);
                a.tryChar(' ');
            }
            if (a.tryChar('(')) {
                // Sequence match data only narrows what the server reports; every change is reported anyway.
                checkSet(a.atom("*"));
                a.sp();
                checkSet(a.atom("*"));
                a.expect(')');
            }
        }
        a.expect(')');
        if (validity == 0 || modseq == 0) {
            throw new ImapParseException("QRESYNC uidvalidity and modseq must be positive");
        }
        return new Qresync(validity, modseq, known);
    }

    /** Refuses a sequence set that does not parse, with the parser's words. */
    static void checkSet(String set) {
        try {
            SequenceSet.parse(set);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException(e.getMessage());
        }
    }

    public static Close close(Args a, ParseContext c) {
        a.end();
        return new Close(false);
    }

    public static Close unselect(Args a, ParseContext c) {
        a.end();
        return new Close(true);
    }
}
