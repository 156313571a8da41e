package io.mailfleet.core.spam.uribl;

import java.util.Locale;
import java.util.Map;

/**
 * Finds the hosts in an HTML part: the values of {@code href}, {@code src} and {@code action}
 * attributes (what a click or an image load visits, whatever the text shows) and the links in its
 * visible text. Entities are decoded ({@code &#46;}, {@code &period;}, {@code &#x2e;}), white space
 * inside an attribute value is dropped as browsers do, comments, styles and scripts are skipped. One
 * linear pass, whatever the markup: an unclosed tag or comment runs to the end of the part.
 */
final class HtmlLinks {

    private static final String[] ATTRIBUTES = {"href", "src", "action"};
    private static final Map<String, String> NAMED = Map.ofEntries(Map.entry("amp", "&"), Map.entry("lt", "<"),
            Map.entry("gt", ">"), Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("nbsp", " "),
            Map.entry("period", "."), Map.entry("sol", "/"), Map.entry("colon", ":"), Map.entry("commat", "@"),
            Map.entry("lpar", "("), Map.entry("rpar", ")"), Map.entry("lsqb", "["), Map.entry("rsqb", "]"),
            Map.entry("bsol", "\\"), Map.entry("hyphen", "-"), Map.entry("dash", "-"));

    private HtmlLinks() {
    }

    /** Reads {@code html} into {@code out} until it is full. */
    static void scan(String html, LinkCollector out) {
        String lower = lowerSameLength(html);
        StringBuilder visible = new StringBuilder(Math.min(html.length(), 1 << 16));
        int n = html.length();
        int i = 0;
        while (i < n && !out.full()) {
            int lt = html.indexOf('<', i);
            int textEnd = lt < 0 ? n : lt;
            visible.append(html, i, textEnd).append(' ');
            if (visible.length() > 1 << 16) {
                TextLinks.scan(entities(visible), out);
                visible.setLength(0);
            }
            if (lt < 0) {
                break;
            }
            String skipTo = lower.startsWith("<!--", lt) ? "-->" : lower.startsWith("<style", lt) ? "</style"
                    : lower.startsWith("<script", lt) ? "</script" : null;
            if (skipTo != null) {
                int end = lower.indexOf(skipTo, lt + 4);
                if (end < 0) {
                    break;
                }
                i = end + skipTo.length();
                continue;
            }
            int gt = html.indexOf('>', lt + 1);
            int tagEnd = gt < 0 ? n : gt;
            attributes(html, lower, lt + 1, tagEnd, out);
            i = tagEnd + 1;
        }
        TextLinks.scan(entities(visible), out);
    }

    /** The link attributes of the tag between {@code from} and {@code to}. */
    private static void attributes(String html, String lower, int from, int to, LinkCollector out) {
        String tag = html.substring(from, to);
        String low = lower.substring(from, to);
        int n = tag.length();
        for (String name : ATTRIBUTES) {
            int at = 0;
            while ((at = low.indexOf(name, at)) >= 0) {
                int after = at + name.length();
                int eq = skipSpaces(low, after, n);
                if (at == 0 || !isSpace(low.charAt(at - 1)) || eq >= n || low.charAt(eq) != '=') {
                    at = after;
                    continue;
                }
                int v = skipSpaces(low, eq + 1, n);
                int start;
                int end;
                if (v < n && (tag.charAt(v) == '"' || tag.charAt(v) == '\'')) {
                    start = v + 1;
                    end = tag.indexOf(tag.charAt(v), start);
                    end = end < 0 ? n : end;
                } else {
                    start = v;
                    end = start;
                    while (end < n && !isSpace(tag.charAt(end))) {
                        end++;
                    }
                }
                String value = stripSpaces(entities(tag.substring(start, Math.min(end, start + TextLinks.MAX_WORD))));
                if (!value.isEmpty()) {
                    TextLinks.word(value, out, LinkCollector.Kind.LINK);
                }
                at = Math.max(end, after);
            }
        }
    }

    /** Lower case char by char, so indexes into it are indexes into {@code s} ({@code İ} would grow). */
    private static String lowerSameLength(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            c[i] = Character.toLowerCase(c[i]);
        }
        return new String(c);
    }

    private static int skipSpaces(String s, int i, int to) {
        while (i < to && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
    }

    /** Browsers drop tabs and line breaks inside a URL; spaces around it too. */
    private static String stripSpaces(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isSpace(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Character references decoded; an unknown or broken one is kept as written. */
    static String entities(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '&') {
                out.append(c);
                continue;
            }
            int j = i + 1;
            while (j < n && j - i <= 10 && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '#')) {
                j++;
            }
            String ref = s.subSequence(i + 1, j).toString();
            String decoded = decode(ref);
            if (decoded == null) {
                out.append(c);
                continue;
            }
            out.append(decoded);
            i = j < n && s.charAt(j) == ';' ? j : j - 1;
        }
        return out.toString();
    }

    private static String decode(String ref) {
        if (ref.startsWith("#")) {
            boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
            String digits = ref.substring(hex ? 2 : 1);
            if (digits.isEmpty() || digits.length() > 7) {
                return null;
            }
            try {
                int cp = Integer.parseInt(digits, hex ? 16 : 10);
                return Character.isValidCodePoint(cp) && cp > 0 ? new String(Character.toChars(cp)) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return NAMED.get(ref.toLowerCase(Locale.ROOT));
    }
}
