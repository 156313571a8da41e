package io.mailfleet.protocols.imap.command;

import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.protocols.imap.Args;
import io.mailfleet.protocols.imap.ImapParseException;
import io.mailfleet.protocols.imap.ListOptions;
import io.mailfleet.protocols.imap.MailboxNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Requests and grammar of mailbox management: CREATE, DELETE, RENAME, (UN)SUBSCRIBE, LIST, LSUB,
 * STATUS, NAMESPACE and the QUOTA commands (RFC 3501 §6.3, RFC 5258, RFC 6154, RFC 9208).
 */
public final class MailboxCommands {

    private static final Set<String> STATUS_ITEMS =
            Set.of("MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "HIGHESTMODSEQ", "SIZE");

    private MailboxCommands() {
    }

    /** CREATE: the mailbox and every missing parent, outermost first, with an optional special use. */
    public record Create(List<String> names, String specialUse) implements ImapRequest {
    }

    /** DELETE mailbox. */
    public record Delete(String mailbox) implements ImapRequest {
    }

    /** RENAME from to. */
    public record Rename(String from, String to) implements ImapRequest {
    }

    /** SUBSCRIBE, or UNSUBSCRIBE when {@code subscribe} is false. */
    public record Subscribe(String mailbox, boolean subscribe) implements ImapRequest {
    }

    /**
     * LIST or LSUB; {@code delimiterOnly} for {@code LIST "" ""} (asks for the hierarchy delimiter),
     * else the name patterns compiled against the reference.
     */
    public record ListMailboxes(boolean lsub, ListOptions options, List<Pattern> patterns, boolean delimiterOnly)
            implements ImapRequest {
    }

    /** STATUS mailbox (items). */
    public record Status(String mailbox, List<String> items) implements ImapRequest {
    }

    /** NAMESPACE. */
    public record Namespace() implements ImapRequest {
    }

    /** GETQUOTAROOT mailbox ({@code root}) or GETQUOTA root; {@code argument} as sent. */
    public record GetQuota(boolean root, String argument) implements ImapRequest {
    }

    /** SETQUOTA (refused whatever it says: quotas are the administrator's). */
    public record SetQuota() implements ImapRequest {
    }

    public static Create create(Args a, ParseContext c) {
        a.sp();
        String wire = a.astring();
        String specialUse = null;
        if (a.tryChar(' ')) {
            a.expect('(');
            String kw = a.atom().toUpperCase(Locale.ROOT);
            if (!kw.equals("USE")) {
                throw new ImapParseException("unknown CREATE parameter " + kw);
            }
            a.sp();
            a.expect('(');
            List<String> uses = new ArrayList<>();
            while (!a.tryChar(')')) {
                if (!uses.isEmpty()) {
                    a.sp();
                }
                uses.add(a.atom("\\"));
            }
            a.expect(')');
            if (uses.size() > 1) {
                throw new MailboxException("USEATTR", "Only one special-use attribute per mailbox.");
            }
            if (uses.size() == 1) {
                specialUse = specialUse(uses.get(0));
            }
        }
        a.end();
        String full = MailboxNames.fromWire(wire, c.delimiter(), c.utf8());
        if (full.isEmpty()) {
            throw new ImapParseException("empty mailbox name");
        }
        if (full.equals("INBOX")) {
            throw new MailboxException("ALREADYEXISTS", "Mailbox already exists");
        }
        String d = String.valueOf(c.delimiter());
        List<String> names = new ArrayList<>();
        String[] levels = full.split(Pattern.quote(d), -1);
        StringBuilder sb = new StringBuilder();
        for (String level : levels) {
            if (level.isEmpty()) {
                throw new ImapParseException("mailbox name has an empty hierarchy level");
            }
            if (sb.length() > 0) {
                sb.append(d);
            }
            sb.append(level);
            names.add(sb.toString());
        }
        return new Create(List.copyOf(names), specialUse);
    }

    /** The RFC 6154 attribute for CREATE (USE (...)), refused with USEATTR when unsupported. */
    private static String specialUse(String attr) {
        for (String u : List.of("\\Archive", "\\Drafts", "\\Junk", "\\Sent", "\\Trash")) {
            if (u.equalsIgnoreCase(attr)) {
                return u;
            }
        }
        throw new MailboxException("USEATTR", "Special-use attribute " + attr + " not supported"
                + (attr.equalsIgnoreCase("\\All") || attr.equalsIgnoreCase("\\Flagged") ? " (virtual mailboxes)" : "")
                + ".");
    }

    public static Delete delete(Args a, ParseContext c) {
        a.sp();
        String mbox = c.mailbox(a);
        a.end();
        return new Delete(mbox);
    }

    public static Rename rename(Args a, ParseContext c) {
        a.sp();
        String from = c.mailbox(a);
        a.sp();
        String to = c.mailbox(a);
        a.end();
        return new Rename(from, to);
    }

    public static Subscribe subscribe(Args a, ParseContext c) {
        return subscription(a, c, true);
    }

    public static Subscribe unsubscribe(Args a, ParseContext c) {
        return subscription(a, c, false);
    }

    private static Subscribe subscription(Args a, ParseContext c, boolean subscribe) {
        a.sp();
        String mbox = c.mailbox(a);
        a.end();
        return new Subscribe(mbox, subscribe);
    }

    public static ListMailboxes list(Args a, ParseContext c) {
        return list(a, c, false);
    }

    public static ListMailboxes lsub(Args a, ParseContext c) {
        return list(a, c, true);
    }

    private static ListMailboxes list(Args a, ParseContext c, boolean lsub) {
        a.sp();
        ListOptions opts = new ListOptions();
        if (!lsub && a.peek() == '(') {
            opts.parseSelection(a);
            a.sp();
        }
        String ref = MailboxNames.fromWire(a.astring(), c.delimiter(), c.utf8());
        a.sp();
        List<String> patterns = new ArrayList<>();
        if (!lsub && a.tryChar('(')) {
            while (true) {
                patterns.add(a.astring("*%"));
                if (a.tryChar(')')) {
                    break;
                }
                a.sp();
            }
            opts.extended = true;
        } else {
            patterns.add(a.astring("*%"));
        }
        if (!lsub && a.tryChar(' ')) {
            opts.parseReturn(a);
        }
        a.end();
        if (patterns.size() == 1 && patterns.get(0).isEmpty() && !lsub) {
            return new ListMailboxes(false, opts, List.of(), true);
        }
        List<Pattern> res = new ArrayList<>();
        try {
            for (String pattern : patterns) {
                res.add(MailboxNames.pattern(ref, MailboxNames.decode(pattern, c.utf8()), c.delimiter()));
            }
        } catch (IllegalArgumentException e) {
            throw new ImapParseException(e.getMessage());
        }
        return new ListMailboxes(lsub, opts, List.copyOf(res), false);
    }

    public static Status status(Args a, ParseContext c) {
        a.sp();
        String mbox = c.mailbox(a);
        a.sp();
        List<String> items = statusItems(a);
        a.end();
        return new Status(mbox, items);
    }

    /** A parenthesised list of STATUS items (RFC 3501, HIGHESTMODSEQ of RFC 7162, SIZE of RFC 8438). */
    public static List<String> statusItems(Args a) {
        a.expect('(');
        List<String> items = new ArrayList<>();
        while (true) {
            String item = a.atom().toUpperCase(Locale.ROOT);
            if (!STATUS_ITEMS.contains(item)) {
                throw new ImapParseException("unknown STATUS item " + item);
            }
            items.add(item);
            if (a.tryChar(')')) {
                break;
            }
            a.sp();
        }
        return items;
    }

    public static Namespace namespace(Args a, ParseContext c) {
        a.end();
        return new Namespace();
    }

    public static GetQuota getQuotaRoot(Args a, ParseContext c) {
        return getQuota(a, true);
    }

    public static GetQuota getQuota(Args a, ParseContext c) {
        return getQuota(a, false);
    }

    private static GetQuota getQuota(Args a, boolean root) {
        a.sp();
        String arg = a.astring();
        a.end();
        return new GetQuota(root, arg);
    }

    /** Reads nothing: the command is refused before its arguments matter. */
    public static SetQuota setQuota(Args a, ParseContext c) {
        return new SetQuota();
    }
}
