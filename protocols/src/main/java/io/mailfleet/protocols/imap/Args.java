package io.mailfleet.protocols.imap;

import java.util.ArrayList;
import java.util.List;

/**
 * A cursor over one command: text segments and the literals between them. Every reader throws
 * {@link ImapParseException} naming what was expected, so the session answers BAD.
 */
public final class Args {
    /** Returned by {@link #peek()} when the next item is a literal. */
    public static final int LITERAL = -2;
    public static final int END = -1;

    private final List<Object> parts;
    private int index;
    private int pos;

    Args(List<Object> parts) {
        this.parts = parts;
        skipEmpty();
    }

    private void skipEmpty() {
        while (index < parts.size() && parts.get(index) instanceof String s && pos >= s.length()) {
            index++;
            pos = 0;
        }
    }

    public int peek() {
        skipEmpty();
        if (index >= parts.size()) {
            return END;
        }
        Object o = parts.get(index);
        if (o instanceof Literal) {
            return LITERAL;
        }
        return ((String) o).charAt(pos);
    }

    public boolean atEnd() {
        return peek() == END;
    }

    public char next() {
        int c = peek();
        if (c < 0) {
            throw new ImapParseException("unexpected end of command");
        }
        pos++;
        return (char) c;
    }

    public boolean tryChar(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    public void expect(char c) {
        if (!tryChar(c)) {
            throw new ImapParseException("expected '" + c + "'" + (peek() == END ? " but the command ended" : ""));
        }
    }

    public void sp() {
        expect(' ');
    }

    public void end() {
        if (!atEnd()) {
            throw new ImapParseException("unexpected extra arguments");
        }
    }

    private static boolean atomChar(int c) {
        return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"'
                && c != '\\' && c != ']';
    }

    /** An atom; {@code extra} lists further characters allowed ({@code *%} for patterns, {@code \} for flags). */
    public String atom(String extra) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = peek();
            if (c >= 0 && (atomChar(c) || extra.indexOf(c) >= 0)) {
                sb.append((char) c);
                pos++;
            } else {
                break;
            }
        }
        if (sb.length() == 0) {
            throw new ImapParseException("expected an atom");
        }
        return sb.toString();
    }

    public String atom() {
        return atom("");
    }

    /** The atom at the cursor without consuming it (empty when none). */
    public String peekAtom() {
        int savedIndex = index;
        int savedPos = pos;
        try {
            return atom();
        } catch (ImapParseException e) {
            return "";
        } finally {
            index = savedIndex;
            pos = savedPos;
        }
    }

    public Literal literal() {
        skipEmpty();
        if (peek() != LITERAL) {
            throw new ImapParseException("expected a literal");
        }
        Literal l = (Literal) parts.get(index);
        index++;
        pos = 0;
        return l;
    }

    public String quoted() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = peek();
            if (c < 0) {
                throw new ImapParseException("unterminated quoted string");
            }
            pos++;
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                int e = peek();
                if (e != '"' && e != '\\') {
                    throw new ImapParseException("invalid escape in quoted string");
                }
                pos++;
                sb.append((char) e);
            } else {
                sb.append((char) c);
            }
        }
    }

    /** string = quoted / literal. */
    public String string() {
        int c = peek();
        if (c == '"') {
            return quoted();
        }
        if (c == LITERAL) {
            return literal().text();
        }
        throw new ImapParseException("expected a string");
    }

    /** astring, with {@code extra} atom characters allowed (e.g. "]" is never, "*%" for list patterns). */
    public String astring(String extra) {
        int c = peek();
        if (c == '"' || c == LITERAL) {
            return string();
        }
        return atom(extra + "]");
    }

    public String astring() {
        return astring("");
    }

    public long number() {
        StringBuilder sb = new StringBuilder();
        while (peek() >= '0' && peek() <= '9') {
            sb.append(next());
        }
        String a = sb.toString();
        if (a.isEmpty()) {
            throw new ImapParseException("expected a number");
        }
        if (a.length() > 19 || !a.chars().allMatch(Character::isDigit)) {
            throw new ImapParseException("expected a number, got " + a);
        }
        return Long.parseLong(a);
    }

    /** A parenthesised list of flags, or a single flag when {@code allowBare}. */
    public List<String> flagList(boolean allowBare) {
        List<String> out = new ArrayList<>();
        if (!tryChar('(')) {
            if (!allowBare) {
                throw new ImapParseException("expected a flag list");
            }
            while (true) {
                out.add(flag());
                if (!tryChar(' ')) {
                    return out;
                }
            }
        }
        if (tryChar(')')) {
            return out;
        }
        while (true) {
            out.add(flag());
            if (tryChar(')')) {
                return out;
            }
            sp();
        }
    }

    private String flag() {
        String f = atom("\\");
        if (f.startsWith("\\")) {
            String name = f.substring(1);
            for (String sys : new String[] {"Seen", "Answered", "Flagged", "Deleted", "Draft", "Recent"}) {
                if (sys.equalsIgnoreCase(name)) {
                    return "\\" + sys;
                }
            }
            throw new ImapParseException("invalid system flag " + f);
        }
        if (f.indexOf('\\') >= 0) {
            throw new ImapParseException("invalid keyword " + f);
        }
        return f;
    }
}
