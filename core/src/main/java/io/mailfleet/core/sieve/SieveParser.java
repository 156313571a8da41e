package io.mailfleet.core.sieve;

import java.util.ArrayList;
import java.util.List;

/** RFC 5228 §8 grammar: turns script text into {@link Ast.Node} commands, reporting line and column. */
final class SieveParser {
    private final String src;
    private final int maxDepth;
    private int pos;
    private int line = 1;
    private int lineStart;

    private SieveParser(String src, int maxDepth) {
        this.src = src;
        this.maxDepth = maxDepth;
    }

    static List<Ast.Node> parse(String source, int maxDepth) throws ParseException {
        return new SieveParser(source, maxDepth).commands(0, true);
    }

    private List<Ast.Node> commands(int depth, boolean top) throws ParseException {
        List<Ast.Node> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                if (!top) {
                    throw error("missing '}' at end of script");
                }
                return out;
            }
            char c = src.charAt(pos);
            if (c == '}') {
                if (top) {
                    throw error("unexpected '}' without matching '{'");
                }
                pos++;
                return out;
            }
            out.add(command(depth));
        }
    }

    private Ast.Node command(int depth) throws ParseException {
        int l = line;
        int col = column();
        if (!isIdentStart(src.charAt(pos))) {
            throw error("expected a command name but found " + describeHere());
        }
        String name = identifier();
        List<Ast.Arg> args = new ArrayList<>();
        List<Ast.Node> tests = new ArrayList<>();
        arguments(args, tests, depth);
        skipSpace();
        if (pos >= src.length()) {
            throw error("missing ';' after command '" + name + "'");
        }
        char c = src.charAt(pos);
        if (c == ';') {
            pos++;
            return new Ast.Node(name, args, tests, null, l, col);
        }
        if (c == '{') {
            if (depth + 1 > maxDepth) {
                throw error("blocks nested deeper than " + maxDepth);
            }
            pos++;
            List<Ast.Node> block = commands(depth + 1, false);
            return new Ast.Node(name, args, tests, block, l, col);
        }
        throw error("expected ';' or '{' after command '" + name + "' arguments but found " + describeHere());
    }

    private void arguments(List<Ast.Arg> args, List<Ast.Node> tests, int depth) throws ParseException {
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                return;
            }
            char c = src.charAt(pos);
            int l = line;
            int col = column();
            if (c == ':') {
                pos++;
                if (pos >= src.length() || !isIdentStart(src.charAt(pos))) {
                    throw error("expected a tag name after ':'");
                }
                args.add(new Ast.Tag(":" + identifier().toLowerCase(), l, col));
            } else if (c >= '0' && c <= '9') {
                args.add(new Ast.Num(number(), l, col));
            } else if (c == '"') {
                args.add(new Ast.Strs(List.of(quoted()), false, l, col));
            } else if (c == '[') {
                args.add(stringList());
            } else if (startsWithText()) {
                args.add(new Ast.Strs(List.of(multiline()), false, l, col));
            } else if (c == '(') {
                if (depth + 1 > maxDepth) {
                    throw error("tests nested deeper than " + maxDepth);
                }
                pos++;
                while (true) {
                    tests.add(test(depth + 1));
                    skipSpace();
                    if (pos >= src.length()) {
                        throw error("missing ')' at end of test list");
                    }
                    char d = src.charAt(pos++);
                    if (d == ')') {
                        return;
                    }
                    if (d != ',') {
                        pos--;
                        throw error("expected ',' or ')' in test list but found " + describeHere());
                    }
                }
            } else if (isIdentStart(c)) {
                if (depth + 1 > maxDepth) {
                    throw error("tests nested deeper than " + maxDepth);
                }
                tests.add(test(depth + 1));
                return;
            } else {
                return;
            }
        }
    }

    private Ast.Node test(int depth) throws ParseException {
        skipSpace();
        if (pos >= src.length() || !isIdentStart(src.charAt(pos))) {
            throw error("expected a test name but found " + describeHere());
        }
        int l = line;
        int col = column();
        String name = identifier();
        List<Ast.Arg> args = new ArrayList<>();
        List<Ast.Node> tests = new ArrayList<>();
        arguments(args, tests, depth);
        return new Ast.Node(name, args, tests, null, l, col);
    }

    private Ast.Strs stringList() throws ParseException {
        int l = line;
        int col = column();
        pos++;
        List<String> values = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                throw error("missing ']' at end of string list");
            }
            char c = src.charAt(pos);
            if (c == '"') {
                values.add(quoted());
            } else if (startsWithText()) {
                values.add(multiline());
            } else {
                throw error("expected a string in string list but found " + describeHere());
            }
            skipSpace();
            if (pos >= src.length()) {
                throw error("missing ']' at end of string list");
            }
            char d = src.charAt(pos++);
            if (d == ']') {
                return new Ast.Strs(List.copyOf(values), true, l, col);
            }
            if (d != ',') {
                pos--;
                throw error("expected ',' or ']' in string list but found " + describeHere());
            }
        }
    }

    private long number() throws ParseException {
        int start = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos)) && src.charAt(pos) < 128) {
            pos++;
        }
        String digits = src.substring(start, pos);
        long mult = 1;
        if (pos < src.length()) {
            switch (Character.toUpperCase(src.charAt(pos))) {
                case 'K' -> { mult = 1L << 10; pos++; }
                case 'M' -> { mult = 1L << 20; pos++; }
                case 'G' -> { mult = 1L << 30; pos++; }
                default -> { }
            }
        }
        if (digits.length() > 12) {
            throw error("number " + digits + " is too large");
        }
        long v = Long.parseLong(digits) * mult;
        if (v > 0xFFFFFFFFL * 1024) {
            throw error("number " + digits + " is too large");
        }
        if (pos < src.length() && isIdentStart(src.charAt(pos))) {
            throw error("invalid number suffix '" + src.charAt(pos) + "' (only K, M, G)");
        }
        return v;
    }

    private String quoted() throws ParseException {
        int startLine = line;
        int startCol = column();
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                if (pos >= src.length()) {
                    break;
                }
                c = src.charAt(pos++);
            }
            if (c == '\n') {
                newline();
            }
            sb.append(c);
        }
        throw new ParseException(startLine, startCol, "unterminated string (missing closing '\"')");
    }

    private boolean startsWithText() {
        return src.regionMatches(true, pos, "text:", 0, 5);
    }

    private String multiline() throws ParseException {
        int startLine = line;
        int startCol = column();
        pos += 5;
        while (pos < src.length() && (src.charAt(pos) == ' ' || src.charAt(pos) == '\t')) {
            pos++;
        }
        if (pos < src.length() && src.charAt(pos) == '#') {
            while (pos < src.length() && src.charAt(pos) != '\n') {
                pos++;
            }
        } else if (pos < src.length() && src.charAt(pos) == '\r') {
            pos++;
        }
        if (pos >= src.length() || src.charAt(pos) != '\n') {
            throw error("expected end of line after 'text:'");
        }
        pos++;
        newline();
        StringBuilder sb = new StringBuilder();
        while (pos < src.length()) {
            int eol = src.indexOf('\n', pos);
            int end = eol < 0 ? src.length() : eol;
            String l = src.substring(pos, end);
            if (l.endsWith("\r")) {
                l = l.substring(0, l.length() - 1);
            }
            pos = eol < 0 ? src.length() : eol + 1;
            if (eol >= 0) {
                newline();
            }
            if (l.equals(".")) {
                return sb.toString();
            }
            if (l.startsWith("..")) {
                l = l.substring(1);
            }
            sb.append(l).append("\r\n");
        }
        throw new ParseException(startLine, startCol, "unterminated multi-line string (missing line with a single '.')");
    }

    private String identifier() {
        int start = pos;
        while (pos < src.length() && isIdentPart(src.charAt(pos))) {
            pos++;
        }
        return src.substring(start, pos).toLowerCase();
    }

    private void skipSpace() throws ParseException {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                newline();
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
                int l = line;
                int col = column();
                pos += 2;
                while (true) {
                    if (pos + 1 >= src.length()) {
                        throw new ParseException(l, col, "unterminated comment (missing '*/')");
                    }
                    if (src.charAt(pos) == '*' && src.charAt(pos + 1) == '/') {
                        pos += 2;
                        break;
                    }
                    if (src.charAt(pos) == '\n') {
                        pos++;
                        newline();
                    } else {
                        pos++;
                    }
                }
            } else {
                return;
            }
        }
    }

    private void newline() {
        line++;
        lineStart = pos;
    }

    private int column() {
        return pos - lineStart + 1;
    }

    private String describeHere() {
        if (pos >= src.length()) {
            return "end of script";
        }
        char c = src.charAt(pos);
        return c < 32 || c > 126 ? String.format("character U+%04X", (int) c) : "'" + c + "'";
    }

    private ParseException error(String message) {
        return new ParseException(line, column(), message);
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }
}
