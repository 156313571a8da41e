package io.mailfleet.core.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * Lenient RFC 5322 address-list parser producing RFC 3501 address structures, groups as start/end
 * markers. Never throws: what cannot be parsed becomes MISSING_MAILBOX / MISSING_DOMAIN as
 * Dovecot fills it, so clients never mistake a broken address for a group marker.
 */
public final class AddressParser {

    static final String MISSING_MAILBOX = "MISSING_MAILBOX";
    static final String MISSING_DOMAIN = "MISSING_DOMAIN";

    private enum Kind { WORD, QUOTED, LITERAL, SPECIAL }

    private record Tok(Kind kind, String text, boolean spaceBefore) {
        boolean is(char c) {
            return kind == Kind.SPECIAL && text.charAt(0) == c;
        }
    }

    private final List<Tok> toks = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    /** For each token, index into {@link #comments} of the last comment before it (exclusive end). */
    private final List<Integer> commentMark = new ArrayList<>();
    private int i;

    private AddressParser() {
    }

    /** Parses a raw (unfolded) address header value; null or blank gives an empty list. */
    public static List<Address> parse(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        AddressParser p = new AddressParser();
        p.tokenize(value);
        List<Address> out = new ArrayList<>();
        p.list(out);
        return List.copyOf(out);
    }

    private void tokenize(String s) {
        int n = s.length();
        int k = 0;
        boolean space = false;
        while (k < n) {
            char c = s.charAt(k);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
                k++;
            } else if (c == '(') {
                int depth = 0;
                StringBuilder sb = new StringBuilder();
                while (k < n) {
                    char d = s.charAt(k);
                    if (d == '\\' && k + 1 < n) {
                        sb.append(s.charAt(k + 1));
                        k += 2;
                        continue;
                    }
                    if (d == '(') {
                        if (depth++ > 0) {
                            sb.append(d);
                        }
                    } else if (d == ')') {
                        if (--depth == 0) {
                            k++;
                            break;
                        }
                        sb.append(d);
                    } else {
                        sb.append(d);
                    }
                    k++;
                }
                comments.add(sb.toString().trim());
                space = true;
            } else if (c == '"') {
                StringBuilder sb = new StringBuilder();
                k++;
                while (k < n && s.charAt(k) != '"') {
                    if (s.charAt(k) == '\\' && k + 1 < n) {
                        k++;
                    }
                    sb.append(s.charAt(k++));
                }
                k++;
                add(Kind.QUOTED, sb.toString(), space);
                space = false;
            } else if (c == '[') {
                int end = s.indexOf(']', k);
                end = end < 0 ? n : end + 1;
                add(Kind.LITERAL, s.substring(k, Math.min(end, n)), space);
                k = end;
                space = false;
            } else if ("<>@,;:.".indexOf(c) >= 0) {
                add(Kind.SPECIAL, String.valueOf(c), space);
                k++;
                space = false;
            } else {
                int start = k;
                while (k < n && " \t\r\n()<>@,;:.\"[".indexOf(s.charAt(k)) < 0) {
                    k++;
                }
                add(Kind.WORD, s.substring(start, k), space);
                space = false;
            }
        }
        commentMark.add(comments.size());
    }

    private void add(Kind kind, String text, boolean space) {
        toks.add(new Tok(kind, text, space));
        commentMark.add(comments.size());
    }

    private boolean end() {
        return i >= toks.size();
    }

    private void list(List<Address> out) {
        while (!end()) {
            if (toks.get(i).is(',') || toks.get(i).is(';') || toks.get(i).is('>')) {
                i++;
                continue;
            }
            int j = scanTo(i, "<:@,;");
            if (j < toks.size() && toks.get(j).is(':')) {
                out.add(Address.groupStart(phrase(i, j, "")));
                i = j + 1;
                while (!end() && !toks.get(i).is(';')) {
                    if (toks.get(i).is(',') || toks.get(i).is(':') || toks.get(i).is('>')) {
                        i++;
                        continue;
                    }
                    mailbox(out);
                }
                if (!end()) {
                    i++;
                }
                out.add(Address.groupEnd());
            } else {
                mailbox(out);
            }
        }
    }

    private void mailbox(List<Address> out) {
        int start = i;
        int commentsBefore = commentMark.get(start);
        int j = scanTo(i, "<,;");
        if (j < toks.size() && toks.get(j).is('<')) {
            String name = phrase(start, j, null);
            int close = scanTo(j + 1, ">");
            int routeEnd = scanTo(j + 1, ":");
            String adl = null;
            int specStart = j + 1;
            if (routeEnd < close && toks.get(j + 1).is('@')) {
                adl = concat(j + 1, routeEnd);
                specStart = routeEnd + 1;
            }
            if (name == null) {
                name = comment(commentsBefore, commentMark.get(Math.min(close + 1, toks.size())));
            }
            out.add(spec(name, adl, specStart, close));
            i = Math.min(close + 1, toks.size());
        } else {
            String name = comment(commentsBefore, commentMark.get(j));
            out.add(spec(name, null, start, j));
            i = j;
        }
    }

    private Address spec(String name, String adl, int from, int to) {
        int at = scanTo(from, "@");
        String local;
        String domain;
        if (at < to) {
            local = concat(from, at);
            domain = concat(at + 1, to);
        } else {
            local = concat(from, to);
            domain = "";
        }
        return new Address(name, adl, local.isEmpty() ? MISSING_MAILBOX : local,
                domain.isEmpty() ? MISSING_DOMAIN : domain);
    }

    private String comment(int from, int to) {
        for (int k = to - 1; k >= from; k--) {
            if (!comments.get(k).isEmpty()) {
                return comments.get(k);
            }
        }
        return null;
    }

    private int scanTo(int from, String stops) {
        int k = from;
        while (k < toks.size()) {
            Tok t = toks.get(k);
            if (t.kind == Kind.SPECIAL && stops.indexOf(t.text.charAt(0)) >= 0) {
                return k;
            }
            k++;
        }
        return k;
    }

    /** Words joined by single spaces where the source had whitespace; empty gives {@code empty}. */
    private String phrase(int from, int to, String empty) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to; k++) {
            Tok t = toks.get(k);
            if (sb.length() > 0 && t.spaceBefore) {
                sb.append(' ');
            }
            sb.append(t.text);
        }
        return sb.length() == 0 ? empty : sb.toString();
    }

    /** Tokens joined without whitespace, as in a local part or domain. */
    private String concat(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < Math.min(to, toks.size()); k++) {
            sb.append(toks.get(k).text);
        }
        return sb.toString();
    }
}
