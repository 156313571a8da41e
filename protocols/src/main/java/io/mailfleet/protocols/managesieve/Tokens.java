package io.mailfleet.protocols.managesieve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of one ManageSieve command (RFC 5804 §4): atoms, quoted strings and literals. The framer
 * hands over the line fragments (strings, each cut before its literal marker) and the literal
 * contents (byte arrays) in order.
 */
public final class Tokens {

    /** One word: an atom or a string (quoted or literal). */
    public record Token(boolean atom, String value) {
    }

    private Tokens() {
    }

    /** @throws IllegalArgumentException naming the problem when the command is malformed */
    static List<Token> parse(List<Object> parts) {
        List<Token> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof byte[] b) {
                out.add(new Token(false, new String(b, StandardCharsets.UTF_8)));
            } else {
                words((String) p, out);
            }
        }
        return out;
    }

    private static void words(String s, List<Token> out) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < s.length()) {
                    char d = s.charAt(i++);
                    if (d == '\\') {
                        if (i >= s.length() || (s.charAt(i) != '"' && s.charAt(i) != '\\')) {
                            throw new IllegalArgumentException("Invalid escape in quoted string.");
                        }
                        sb.append(s.charAt(i++));
                    } else if (d == '"') {
                        closed = true;
                        break;
                    } else {
                        sb.append(d);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("Unterminated quoted string.");
                }
                out.add(new Token(false, sb.toString()));
            } else {
                int start = i;
                while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '"') {
                    char d = s.charAt(i);
                    if (d < 0x20 || d == 0x7f || d == '{' || d == '}' || d == '(' || d == ')') {
                        throw new IllegalArgumentException("Invalid character in command.");
                    }
                    i++;
                }
                out.add(new Token(true, s.substring(start, i)));
            }
        }
    }

    /** A string as a ManageSieve response word: quoted when it can be, a literal otherwise. */
    public static String string(String s) {
        boolean quotable = s.length() <= 1024;
        for (int i = 0; quotable && i < s.length(); i++) {
            char c = s.charAt(i);
            quotable = c != '\r' && c != '\n' && c != 0;
        }
        if (!quotable) {
            return "{" + s.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
