package io.mailfleet.protocols.imap;

import io.mailfleet.core.imap.SearchKey;
import io.mailfleet.core.imap.SearchKey.And;
import io.mailfleet.core.imap.SearchKey.All;
import io.mailfleet.core.imap.SearchKey.Date;
import io.mailfleet.core.imap.SearchKey.Flag;
import io.mailfleet.core.imap.SearchKey.Header;
import io.mailfleet.core.imap.SearchKey.ModSeq;
import io.mailfleet.core.imap.SearchKey.New;
import io.mailfleet.core.imap.SearchKey.Not;
import io.mailfleet.core.imap.SearchKey.Or;
import io.mailfleet.core.imap.SearchKey.Recent;
import io.mailfleet.core.imap.SearchKey.Sequence;
import io.mailfleet.core.imap.SearchKey.Size;
import io.mailfleet.core.imap.SearchKey.Text;
import io.mailfleet.core.imap.SequenceSet;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses SEARCH criteria (RFC 3501 §6.4.4, MODSEQ of RFC 7162) with a nesting limit. */
public final class SearchParser {

    static final int MAX_DEPTH = 32;
    /** RFC 3501 date; month names are case-insensitive like every IMAP atom ("24-mar-2007"). */
    static final DateTimeFormatter DATE = new java.time.format.DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-yyyy").toFormatter(Locale.ENGLISH);

    private SearchParser() {
    }

    /** Parses the criteria after SEARCH [CHARSET x]: an implicit AND of keys. */
    public static SearchKey parse(Args a) {
        return parse(a, List.of());
    }

    /**
     * Parses the criteria; {@code $} (RFC 5182) stands for {@code saved}, the uids of the last
     * SEARCH ... RETURN (SAVE).
     */
    public static SearchKey parse(Args a, List<Long> saved) {
        List<SearchKey> keys = new ArrayList<>();
        keys.add(parseOne(a, 0, saved));
        while (a.tryChar(' ')) {
            keys.add(parseOne(a, 0, saved));
        }
        a.end();
        return keys.size() == 1 ? keys.get(0) : new And(keys);
    }

    private static SearchKey parseOne(Args a, int depth, List<Long> saved) {
        if (depth > MAX_DEPTH) {
            throw new ImapParseException("search criteria nested too deeply");
        }
        if (a.tryChar('(')) {
            List<SearchKey> keys = new ArrayList<>();
            keys.add(parseOne(a, depth + 1, saved));
            while (a.tryChar(' ')) {
                keys.add(parseOne(a, depth + 1, saved));
            }
            a.expect(')');
            return new And(keys);
        }
        int c = a.peek();
        if (c == '$') {
            a.next();
            return savedKey(saved);
        }
        if (c == '*' || Character.isDigit(c)) {
            return new Sequence(sequence(a.atom("*")), false);
        }
        String k = a.atom().toUpperCase(Locale.ROOT);
        return switch (k) {
            case "ALL" -> new All();
            case "ANSWERED" -> new Flag("\\Answered", true);
            case "DELETED" -> new Flag("\\Deleted", true);
            case "DRAFT" -> new Flag("\\Draft", true);
            case "FLAGGED" -> new Flag("\\Flagged", true);
            case "SEEN" -> new Flag("\\Seen", true);
            case "UNANSWERED" -> new Flag("\\Answered", false);
            case "UNDELETED" -> new Flag("\\Deleted", false);
            case "UNDRAFT" -> new Flag("\\Draft", false);
            case "UNFLAGGED" -> new Flag("\\Flagged", false);
            case "UNSEEN" -> new Flag("\\Seen", false);
            case "RECENT" -> new Recent(true);
            case "OLD" -> new Recent(false);
            case "NEW" -> new New();
            case "KEYWORD" -> {
                a.sp();
                yield new Flag(a.atom(), true);
            }
            case "UNKEYWORD" -> {
                a.sp();
                yield new Flag(a.atom(), false);
            }
            case "BCC", "CC", "FROM", "SUBJECT", "TO" -> {
                a.sp();
                yield new Header(k, a.astring());
            }
            case "HEADER" -> {
                a.sp();
                String f = a.astring();
                a.sp();
                yield new Header(f, a.astring());
            }
            case "BODY" -> {
                a.sp();
                yield new Text(a.astring(), false);
            }
            case "TEXT" -> {
                a.sp();
                yield new Text(a.astring(), true);
            }
            case "LARGER", "SMALLER" -> {
                a.sp();
                yield new Size(a.number(), k.equals("LARGER"));
            }
            case "BEFORE", "ON", "SINCE", "SENTBEFORE", "SENTON", "SENTSINCE" -> {
                a.sp();
                LocalDate d = date(a.astring());
                String base = k.startsWith("SENT") ? k.substring(4) : k;
                int cmp = base.equals("BEFORE") ? -1 : base.equals("ON") ? 0 : 1;
                yield new Date(d, cmp, k.startsWith("SENT"));
            }
            case "UID" -> {
                a.sp();
                if (a.tryChar('$')) {
                    yield savedKey(saved);
                }
                yield new Sequence(sequence(a.atom("*")), true);
            }
            case "NOT" -> {
                a.sp();
                yield new Not(parseOne(a, depth + 1, saved));
            }
            case "OR" -> {
                a.sp();
                SearchKey x = parseOne(a, depth + 1, saved);
                a.sp();
                yield new Or(x, parseOne(a, depth + 1, saved));
            }
            case "MODSEQ" -> {
                a.sp();
                if (a.peek() == '"') {
                    a.quoted();
                    a.sp();
                    a.atom();
                    a.sp();
                }
                yield new ModSeq(a.number());
            }
            default -> throw new ImapParseException("unknown search key " + k);
        };
    }

    private static SearchKey savedKey(List<Long> saved) {
        return saved.isEmpty() ? new Not(new All()) : new Sequence(SequenceSet.parse(SequenceSet.format(saved)), true);
    }

    private static SequenceSet sequence(String s) {
        try {
            return SequenceSet.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException(e.getMessage());
        }
    }

    private static LocalDate date(String s) {
        try {
            return LocalDate.parse(s, DATE);
        } catch (DateTimeParseException e) {
            throw new ImapParseException("invalid date " + s + " (expected like 1-Feb-2024)");
        }
    }

}
