package io.mailfleet.protocols.imap.command;

import io.mailfleet.core.mailbox.FlagOperation;
import io.mailfleet.protocols.imap.Args;
import io.mailfleet.protocols.imap.FetchItem;
import io.mailfleet.protocols.imap.ImapParseException;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Requests and grammar of the commands that read or change messages of the selected mailbox by
 * sequence number or uid: FETCH, STORE, EXPUNGE (RFC 3501 §6.4, RFC 4315, RFC 7162).
 */
public final class MessageCommands {

    private MessageCommands() {
    }

    /**
     * [UID] FETCH set items [(CHANGEDSINCE n [VANISHED])]; {@code changedSince} negative when absent;
     * {@code items} with the macros expanded.
     */
    public record Fetch(boolean uid, String set, List<FetchItem> items, long changedSince, boolean vanished)
            implements ImapRequest {
    }

    /** [UID] STORE set [(UNCHANGEDSINCE n)] [+-]FLAGS[.SILENT] (flags); {@code unchangedSince} negative when absent. */
    public record Store(boolean uid, String set, FlagOperation operation, boolean silent, Set<String> flags,
                        long unchangedSince) implements ImapRequest {
    }

    /** EXPUNGE, or UID EXPUNGE set (RFC 4315) when {@code uid}; {@code set} null for a plain EXPUNGE. */
    public record Expunge(boolean uid, String set) implements ImapRequest {
    }

    public static Fetch fetch(Args a, ParseContext c, boolean uid) {
        a.sp();
        String set = a.atom("*");
        a.sp();
        List<FetchItem> items = FetchItem.expand(FetchItem.parseList(a));
        long changedSince = -1;
        boolean vanished = false;
        if (a.tryChar(' ')) {
            a.expect('(');
            while (true) {
                String mod = a.atom().toUpperCase(Locale.ROOT);
                if (mod.equals("CHANGEDSINCE")) {
                    a.sp();
                    changedSince = a.number();
                } else if (mod.equals("VANISHED")) {
                    vanished = true;
                } else {
                    throw new ImapParseException("unknown FETCH modifier " + mod);
                }
                if (a.tryChar(')')) {
                    break;
                }
                a.sp();
            }
            if (vanished && (!uid || !c.qresync() || changedSince < 0)) {
                throw new ImapParseException("VANISHED needs UID FETCH, CHANGEDSINCE and ENABLE QRESYNC (RFC 7162)");
            }
        }
        a.end();
        return new Fetch(uid, set, items, changedSince, vanished);
    }

    public static Store store(Args a, ParseContext c, boolean uid) {
        a.sp();
        String set = a.atom("*");
        a.sp();
        long unchangedSince = -1;
        if (a.tryChar('(')) {
            String mod = a.atom().toUpperCase(Locale.ROOT);
            if (!mod.equals("UNCHANGEDSINCE")) {
                throw new ImapParseException("unknown STORE modifier " + mod);
            }
            a.sp();
            unchangedSince = a.number();
            a.expect(')');
            a.sp();
            c.condstoreRequested();
        }
        String item = a.atom().toUpperCase(Locale.ROOT);
        FlagOperation op;
        String base = item.endsWith(".SILENT") ? item.substring(0, item.length() - 7) : item;
        boolean silent = item.endsWith(".SILENT");
        switch (base) {
            case "FLAGS" -> op = FlagOperation.REPLACE;
            case "+FLAGS" -> op = FlagOperation.ADD;
            case "-FLAGS" -> op = FlagOperation.REMOVE;
            default -> throw new ImapParseException("invalid STORE item " + item);
        }
        a.sp();
        Set<String> flags = new HashSet<>(a.flagList(true));
        a.end();
        return new Store(uid, set, op, silent, flags, unchangedSince);
    }

    public static Expunge expunge(Args a, ParseContext c, boolean uid) {
        String set = null;
        if (uid) {
            a.sp();
            set = a.atom("*");
            if (!set.equals("$")) {
                SelectionCommands.checkSet(set);
            }
        }
        a.end();
        return new Expunge(uid, set);
    }
}
