package io.mailfleet.protocols.imap;

import java.util.List;
import java.util.Locale;

/** LIST-EXTENDED selection and return options (RFC 5258, RFC 6154, LIST-STATUS of RFC 5819). */
public final class ListOptions {
    public boolean extended;
    public boolean selectSubscribed;
    public boolean selectSpecialUse;
    public boolean recursiveMatch;
    public boolean returnSubscribed;
    public boolean returnChildren;
    /** STATUS items to report after each listed mailbox, or null. */
    public List<String> status;

    /** {@code (SUBSCRIBED REMOTE RECURSIVEMATCH SPECIAL-USE)}. */
    public void parseSelection(Args a) {
        extended = true;
        a.expect('(');
        if (!a.tryChar(')')) {
            while (true) {
                String o = a.atom().toUpperCase(Locale.ROOT);
                switch (o) {
                    case "SUBSCRIBED" -> selectSubscribed = true;
                    case "REMOTE" -> {
                        // No remote mailboxes exist here: nothing to add.
                    }
                    case "RECURSIVEMATCH" -> recursiveMatch = true;
                    case "SPECIAL-USE" -> selectSpecialUse = true;
                    default -> throw new ImapParseException("unknown LIST selection option " + o);
                }
                if (a.tryChar(')')) {
                    break;
                }
                a.sp();
            }
        }
        if (recursiveMatch && !selectSubscribed) {
            throw new ImapParseException("RECURSIVEMATCH needs another selection option (RFC 5258)");
        }
    }

    /** {@code RETURN (SUBSCRIBED CHILDREN SPECIAL-USE STATUS (...))}. */
    public void parseReturn(Args a) {
        String kw = a.atom().toUpperCase(Locale.ROOT);
        if (!kw.equals("RETURN")) {
            throw new ImapParseException("expected RETURN, got " + kw);
        }
        extended = true;
        a.sp();
        a.expect('(');
        if (a.tryChar(')')) {
            return;
        }
        while (true) {
            String o = a.atom().toUpperCase(Locale.ROOT);
            switch (o) {
                case "SUBSCRIBED" -> returnSubscribed = true;
                case "CHILDREN" -> returnChildren = true;
                case "SPECIAL-USE" -> {
                    // Special-use attributes are always returned, as in a plain LIST.
                }
                case "STATUS" -> {
                    a.sp();
                    status = io.mailfleet.protocols.imap.command.MailboxCommands.statusItems(a);
                }
                default -> throw new ImapParseException("unknown LIST return option " + o);
            }
            if (a.tryChar(')')) {
                return;
            }
            a.sp();
        }
    }
}
