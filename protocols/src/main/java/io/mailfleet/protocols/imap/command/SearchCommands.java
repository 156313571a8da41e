package io.mailfleet.protocols.imap.command;

import io.mailfleet.core.imap.SearchKey;
import io.mailfleet.core.imap.SortCriterion;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.protocols.imap.Args;
import io.mailfleet.protocols.imap.ImapParseException;
import io.mailfleet.protocols.imap.SearchParser;
import io.mailfleet.protocols.imap.SearchReturn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Requests and grammar of SEARCH (with ESEARCH and SEARCHRES returns), SORT and THREAD (RFC 3501, 4731, 5182, 5256). */
public final class SearchCommands {

    private SearchCommands() {
    }

    /** [UID] SEARCH [RETURN (...)] [CHARSET cs] criteria; {@code returns} null for a plain SEARCH. */
    public record Search(boolean uid, SearchReturn returns, SearchKey key) implements ImapRequest {
    }

    /** [UID] SORT (criteria) charset search-criteria. */
    public record Sort(boolean uid, List<SortCriterion> criteria, SearchKey key) implements ImapRequest {
    }

    /** [UID] THREAD algorithm charset search-criteria; the algorithm ORDEREDSUBJECT or REFERENCES. */
    public record Thread(boolean uid, String algorithm, SearchKey key) implements ImapRequest {
    }

    public static Search search(Args a, ParseContext c, boolean uid) {
        a.sp();
        SearchReturn ret = null;
        if (a.peekAtom().equalsIgnoreCase("RETURN")) {
            a.atom();
            a.sp();
            ret = SearchReturn.parse(a);
            a.sp();
        }
        SearchKey key;
        try {
            key = criteria(a, c);
        } catch (RuntimeException e) {
            if (ret != null && ret.save()) {
                c.forgetSavedResult();
            }
            throw e;
        }
        return new Search(uid, ret, key);
    }

    /** [CHARSET cs] criteria: CHARSET must come first when present; only UTF-8 and US-ASCII are supported. */
    private static SearchKey criteria(Args a, ParseContext c) {
        int ch = a.peek();
        if (ch == 'C' || ch == 'c') {
            if (a.peekAtom().equalsIgnoreCase("CHARSET")) {
                if (c.utf8()) {
                    // RFC 6855 §3: the client must not label the charset once UTF-8 is enabled.
                    throw new ImapParseException("SEARCH CHARSET is not allowed after ENABLE UTF8=ACCEPT");
                }
                a.atom();
                a.sp();
                String cs = a.astring();
                if (!cs.equalsIgnoreCase("UTF-8") && !cs.equalsIgnoreCase("US-ASCII")) {
                    throw new MailboxException("BADCHARSET (UTF-8 US-ASCII)", "Unsupported charset " + cs);
                }
                a.sp();
            }
        }
        return SearchParser.parse(a, c.savedUids());
    }

    public static Sort sort(Args a, ParseContext c, boolean uid) {
        a.sp();
        a.expect('(');
        List<SortCriterion> criteria = new ArrayList<>();
        boolean reverse = false;
        while (true) {
            String k = a.atom().toUpperCase(Locale.ROOT);
            if (k.equals("REVERSE")) {
                if (reverse) {
                    throw new ImapParseException("REVERSE twice");
                }
                reverse = true;
                a.sp();
                continue;
            }
            SortCriterion.Key key;
            try {
                key = SortCriterion.Key.valueOf(k);
            } catch (IllegalArgumentException e) {
                throw new ImapParseException("unknown sort key " + k);
            }
            criteria.add(new SortCriterion(key, reverse));
            reverse = false;
            if (a.tryChar(')')) {
                break;
            }
            a.sp();
        }
        if (reverse) {
            throw new ImapParseException("REVERSE must precede a sort key");
        }
        a.sp();
        return new Sort(uid, List.copyOf(criteria), charsetAndCriteria(a, c));
    }

    public static Thread thread(Args a, ParseContext c, boolean uid) {
        a.sp();
        String algorithm = a.atom().toUpperCase(Locale.ROOT);
        if (!algorithm.equals("ORDEREDSUBJECT") && !algorithm.equals("REFERENCES")) {
            throw new ImapParseException("unknown threading algorithm " + algorithm);
        }
        a.sp();
        return new Thread(uid, algorithm, charsetAndCriteria(a, c));
    }

    /** SORT and THREAD: a mandatory charset, then search criteria. */
    private static SearchKey charsetAndCriteria(Args a, ParseContext c) {
        String cs = a.astring();
        if (c.utf8() && !cs.equalsIgnoreCase("UTF-8")) {
            // RFC 6855 erratum 4029: after ENABLE UTF8=ACCEPT the mandatory charset must be UTF-8.
            throw new ImapParseException("charset " + cs + " conflicts with ENABLE UTF8=ACCEPT: use UTF-8");
        }
        if (!cs.equalsIgnoreCase("UTF-8") && !cs.equalsIgnoreCase("US-ASCII")) {
            throw new MailboxException("BADCHARSET (UTF-8 US-ASCII)", "Unsupported charset " + cs);
        }
        a.sp();
        return SearchParser.parse(a, c.savedUids());
    }
}
