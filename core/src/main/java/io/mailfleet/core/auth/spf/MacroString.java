package io.mailfleet.core.auth.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A parsed SPF macro-string (RFC 7208 section 7): literals and {@code %{letter digits r delimiters}}
 * expansions, plus the escapes {@code %% %_ %-}. Parsing rejects anything the ABNF does not allow.
 */
final class MacroString {

    /** Longest expansion kept: a hostile local-part cannot make a term explode. */
    private static final int MAX_EXPANSION = 8 * 1024;

    private sealed interface Part {
    }

    private record Literal(String text) implements Part {
    }

    private record Macro(char letter, boolean escape, int keep, boolean reverse, String delimiters) implements Part {
    }

    /** The values macro letters stand for, lower-case letter in. */
    interface Values {
        String value(char letter);
    }

    private final String source;
    private final List<Part> parts;

    private MacroString(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /**
     * Parses a macro-string.
     *
     * @param explanation true for exp= text: c, r, t allowed and spaces are literal
     * @throws SpfException permerror on a syntax error
     */
    static MacroString parse(String text, boolean explanation) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                boolean ok = (c >= 0x21 && c <= 0x7e) || (explanation && c == ' ');
                if (!ok) {
                    throw SpfException.perm("invalid character " + printable(c) + " in '" + text + "'");
                }
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) {
                throw SpfException.perm("'%' at the end of '" + text + "'");
            }
            char n = text.charAt(i + 1);
            switch (n) {
                case '%' -> literal.append('%');
                case '_' -> literal.append(' ');
                case '-' -> literal.append("%20");
                case '{' -> {
                    int close = text.indexOf('}', i + 2);
                    if (close < 0) {
                        throw SpfException.perm("unterminated macro in '" + text + "'");
                    }
                    if (!literal.isEmpty()) {
                        parts.add(new Literal(literal.toString()));
                        literal.setLength(0);
                    }
                    parts.add(macro(text.substring(i + 2, close), explanation, text));
                    i = close + 1;
                    continue;
                }
                default -> throw SpfException.perm("invalid macro escape '%" + n + "' in '" + text + "'");
            }
            i += 2;
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new MacroString(text, List.copyOf(parts));
    }

    private static Macro macro(String body, boolean explanation, String text) {
        if (body.isEmpty()) {
            throw SpfException.perm("empty macro in '" + text + "'");
        }
        char raw = body.charAt(0);
        char letter = Character.toLowerCase(raw);
        boolean allowed = "slodiphv".indexOf(letter) >= 0 || (explanation && "crt".indexOf(letter) >= 0);
        if (!allowed || raw > 0x7f) {
            throw SpfException.perm("macro letter '" + raw + "' not allowed in '" + text + "'");
        }
        int i = 1;
        int digitsStart = i;
        while (i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '9') {
            i++;
        }
        int keep = 0;
        if (i > digitsStart) {
            String digits = body.substring(digitsStart, i);
            // more than 128 labels cannot exist, so any larger number keeps them all
            keep = digits.length() > 3 ? 128 : Math.min(128, Integer.parseInt(digits));
            if (digits.chars().allMatch(d -> d == '0')) {
                throw SpfException.perm("macro transformer 0 in '" + text + "'");
            }
        }
        boolean reverse = false;
        if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        String delimiters = body.substring(i);
        for (int k = 0; k < delimiters.length(); k++) {
            if (".-+,/_=".indexOf(delimiters.charAt(k)) < 0) {
                throw SpfException.perm("invalid macro delimiter '" + delimiters.charAt(k) + "' in '" + text + "'");
            }
        }
        return new Macro(letter, Character.isUpperCase(raw), keep, reverse, delimiters.isEmpty() ? "." : delimiters);
    }

    /** True when expanding needs the validated domain name of the client (%{p}), a DNS lookup. */
    boolean usesPtr() {
        return parts.stream().anyMatch(p -> p instanceof Macro m && m.letter() == 'p');
    }

    /** True when the string ends with a macro expansion (so domain-end is satisfied by it). */
    boolean endsWithMacro() {
        return !parts.isEmpty() && parts.get(parts.size() - 1) instanceof Macro;
    }

    /** The literal text after the last macro ("" when it ends with one). */
    String trailingLiteral() {
        return parts.isEmpty() || !(parts.get(parts.size() - 1) instanceof Literal l) ? "" : l.text();
    }

    String source() {
        return source;
    }

    /** Expands with the given values; the result is at most {@value #MAX_EXPANSION} chars. */
    String expand(Values values) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Literal l) {
                out.append(l.text());
            } else {
                out.append(expand((Macro) p, values));
            }
            if (out.length() > MAX_EXPANSION) {
                throw SpfException.perm("macro expansion of '" + source + "' is too long");
            }
        }
        return out.toString();
    }

    private static String expand(Macro m, MacroString.Values values) {
        String value = values.value(m.letter());
        List<String> labels = split(value, m.delimiters());
        if (m.reverse()) {
            Collections.reverse(labels);
        }
        if (m.keep() > 0 && m.keep() < labels.size()) {
            labels = labels.subList(labels.size() - m.keep(), labels.size());
        }
        String joined = String.join(".", labels);
        return m.escape() ? urlEscape(joined) : joined;
    }

    private static List<String> split(String value, String delimiters) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                out.add(value.substring(start, i));
                start = i + 1;
            }
        }
        out.add(value.substring(start));
        return out;
    }

    /** RFC 3986 escaping of everything but the unreserved characters. */
    private static String urlEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format(Locale.ROOT, "U+%04X", (int) c);
    }
}
