package io.mailfleet.protocols.imap;

import io.mailfleet.core.imap.SequenceSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SEARCH RETURN options: ESEARCH (RFC 4731) MIN MAX COUNT ALL and SEARCHRES (RFC 5182) SAVE. */
public record SearchReturn(boolean min, boolean max, boolean count, boolean all, boolean save) {

    /** Parses {@code (option ...)}; an empty list means ALL. */
    public static SearchReturn parse(Args a) {
        a.expect('(');
        boolean min = false;
        boolean max = false;
        boolean count = false;
        boolean all = false;
        boolean save = false;
        if (!a.tryChar(')')) {
            while (true) {
                String o = a.atom().toUpperCase(Locale.ROOT);
                switch (o) {
                    case "MIN" -> min = true;
                    case "MAX" -> max = true;
                    case "COUNT" -> count = true;
                    case "ALL" -> all = true;
                    case "SAVE" -> save = true;
                    default -> throw new ImapParseException("unknown SEARCH RETURN option " + o);
                }
                if (a.tryChar(')')) {
                    break;
                }
                a.sp();
            }
        }
        if (!min && !max && !count && !all && !save) {
            all = true;
        }
        return new SearchReturn(min, max, count, all, save);
    }

    /** SAVE alone: the result is only remembered, no ESEARCH response (RFC 5182 §2.4). */
    public boolean onlySave() {
        return save && !min && !max && !count && !all;
    }

    /**
     * Positions to remember for SAVE: with only MIN and/or MAX, just those messages (RFC 5182 §2.4);
     * otherwise every match.
     */
    public List<Integer> savedPositions(List<Integer> matched) {
        if (matched.isEmpty() || count || all || !min && !max) {
            return matched;
        }
        List<Integer> out = new ArrayList<>();
        if (min) {
            out.add(matched.get(0));
        }
        if (max && (!min || matched.size() > 1)) {
            out.add(matched.get(matched.size() - 1));
        }
        return out;
    }

    /** The ESEARCH response data; {@code modseq} negative when not reported. */
    public String esearch(String tag, boolean uid, List<Long> hits, long modseq) {
        StringBuilder sb = new StringBuilder("ESEARCH (TAG \"").append(tag).append("\")");
        if (uid) {
            sb.append(" UID");
        }
        if (!hits.isEmpty()) {
            if (min) {
                sb.append(" MIN ").append(hits.get(0));
            }
            if (max) {
                sb.append(" MAX ").append(hits.get(hits.size() - 1));
            }
        }
        if (count) {
            sb.append(" COUNT ").append(hits.size());
        }
        if (all && !hits.isEmpty()) {
            sb.append(" ALL ").append(SequenceSet.format(hits));
        }
        if (modseq >= 0) {
            sb.append(" MODSEQ ").append(modseq);
        }
        return sb.toString();
    }
}
