package io.mailfleet.core.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Postfix {@code pcre:} table pattern ({@code /regex/flags}, optionally negated with {@code !})
 * compiled to {@link java.util.regex}, with {@code $1}/{@code ${1}} substitution in the targets.
 *
 * <p>Flags follow Postfix, not Perl: matching is case-insensitive by default and {@code i} toggles
 * it <em>off</em>; {@code m}, {@code s} and {@code x} toggle multi-line, dot-all and extended mode;
 * {@code A} anchors the match at the start; {@code X} is accepted and ignored. {@code E} and
 * {@code U} have no java.util.regex equivalent and are refused.
 */
public final class RegexAliasPattern {

    private static final int CACHE_LIMIT = 4096;
    /** Characters that start a bare regex rather than act as a delimiter. */
    private static final String BARE_START = "\\^.[({$";
    private static final Map<String, RegexAliasPattern> CACHE = new ConcurrentHashMap<>();

    private final String source;
    private final Pattern pattern;
    private final boolean negated;
    private final boolean anchored;

    private RegexAliasPattern(String source, Pattern pattern, boolean negated, boolean anchored) {
        this.source = source;
        this.pattern = pattern;
        this.negated = negated;
        this.anchored = anchored;
    }

    /**
     * Compiles {@code /regex/flags} (as in Postfix, the first character is the delimiter; a text
     * starting with a letter, digit or one of {@code \ ^ . [ ( { $} is taken as a bare regex with
     * default flags).
     *
     * @throws IllegalArgumentException naming the problem when the pattern is malformed
     */
    public static RegexAliasPattern compile(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty regexp pattern");
        }
        String s = text.strip();
        boolean negated = false;
        if (s.startsWith("!")) {
            negated = true;
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty regexp pattern after '!'");
        }
        char delim = s.charAt(0);
        String regex;
        String flags;
        if (Character.isLetterOrDigit(delim) || Character.isWhitespace(delim) || BARE_START.indexOf(delim) >= 0) {
            regex = s;
            flags = "";
        } else {
            int end = closingDelimiter(s, delim);
            if (end < 0) {
                throw new IllegalArgumentException("regexp pattern '" + text + "' has no closing '" + delim + "'");
            }
            regex = s.substring(1, end);
            flags = s.substring(end + 1);
        }
        boolean caseInsensitive = true;
        int javaFlags = 0;
        boolean anchored = false;
        for (char f : flags.toCharArray()) {
            switch (f) {
                case 'i' -> caseInsensitive = !caseInsensitive;
                case 'm' -> javaFlags ^= Pattern.MULTILINE;
                case 's' -> javaFlags ^= Pattern.DOTALL;
                case 'x' -> javaFlags ^= Pattern.COMMENTS;
                case 'A' -> anchored = !anchored;
                case 'X' -> { }
                default -> throw new IllegalArgumentException(
                        "regexp pattern '" + text + "' has unsupported flag '" + f + "'");
            }
        }
        if (caseInsensitive) {
            javaFlags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        }
        try {
            return new RegexAliasPattern(text, Pattern.compile(regex, javaFlags), negated, anchored);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regexp '" + text + "': " + e.getDescription(), e);
        }
    }

    /** Like {@link #compile} but cached, and empty for malformed patterns (they never match). */
    public static Optional<RegexAliasPattern> cached(String text) {
        RegexAliasPattern p = CACHE.get(text);
        if (p != null) {
            return Optional.of(p);
        }
        try {
            p = compile(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(text, p);
        return Optional.of(p);
    }

    public String source() {
        return source;
    }

    public boolean negated() {
        return negated;
    }

    /**
     * Matches {@code address}; on a match returns the targets with {@code $n}, {@code ${n}},
     * {@code $(n)} replaced by the captured groups (empty when a group did not participate) and
     * {@code $$} by a dollar sign.
     */
    public Optional<List<String>> apply(String address, List<String> targets) {
        Matcher m = pattern.matcher(address);
        boolean found = anchored ? m.lookingAt() : m.find();
        if (found == negated) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>(targets.size());
        for (String t : targets) {
            out.add(negated ? t : substitute(t, m));
        }
        return Optional.of(out);
    }

    /** Checks a target template against the group count; returns the problem or empty. */
    public Optional<String> checkTemplate(String target) {
        int groups = pattern.matcher("").groupCount();
        int i = 0;
        while ((i = target.indexOf('$', i)) >= 0) {
            if (i + 1 >= target.length()) {
                return Optional.of("'$' at the end of target '" + target + "'");
            }
            char c = target.charAt(i + 1);
            if (c == '$') {
                i += 2;
                continue;
            }
            int[] ref = parseRef(target, i);
            if (ref == null) {
                return Optional.of("bad '$' reference in target '" + target + "'");
            }
            if (negated) {
                return Optional.of("'$" + ref[0] + "' in target of a negated pattern");
            }
            if (ref[0] > groups) {
                return Optional.of("target '" + target + "' uses $" + ref[0] + " but the pattern has "
                        + groups + " group(s)");
            }
            i = ref[1];
        }
        return Optional.empty();
    }

    private static String substitute(String template, Matcher m) {
        if (template.indexOf('$') < 0) {
            return template;
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                sb.append(c);
                i++;
                continue;
            }
            if (template.charAt(i + 1) == '$') {
                sb.append('$');
                i += 2;
                continue;
            }
            int[] ref = parseRef(template, i);
            if (ref == null || ref[0] > m.groupCount()) {
                sb.append(c);
                i++;
                continue;
            }
            String g = m.group(ref[0]);
            sb.append(g == null ? "" : g);
            i = ref[1];
        }
        return sb.toString();
    }

    /** Parses {@code $n}, {@code ${n}} or {@code $(n)} at {@code i}: {group, index after}, or null. */
    private static int[] parseRef(String s, int i) {
        int j = i + 1;
        char open = s.charAt(j);
        char close = open == '{' ? '}' : open == '(' ? ')' : 0;
        if (close != 0) {
            j++;
        }
        int start = j;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
            j++;
        }
        if (j == start) {
            return null;
        }
        int n = Integer.parseInt(s.substring(start, Math.min(j, start + 6)));
        if (close != 0) {
            if (j >= s.length() || s.charAt(j) != close) {
                return null;
            }
            j++;
        }
        return new int[] {n, j};
    }

    private static int closingDelimiter(String s, char delim) {
        int end = -1;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == delim) {
                end = i;
                break;
            }
        }
        return end;
    }

    @Override
    public String toString() {
        return source;
    }
}
