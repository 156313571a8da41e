package io.mailfleet.core.sieve;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Match types (RFC 5228 §2.7.1, RFC 5231 relational, regex draft) over comparators (RFC 4790). */
final class Matching {
    private Matching() {
    }

    /** Outcome of a match; {@code groups} holds match variables of a successful :matches/:regex. */
    record Outcome(boolean matched, List<String> groups) {
    }

    static Outcome match(String matchType, String relation, String comparator, List<String> values,
                         List<String> keys, Budget budget, int line) {
        String cmp = comparator == null ? "i;ascii-casemap" : comparator.toLowerCase(Locale.ROOT);
        String type = matchType == null ? ":is" : matchType;
        if (type.equals(":count")) {
            String count = Integer.toString(values.size());
            for (String key : keys) {
                if (relation(relation, compare(cmp, count, key), line)) {
                    return new Outcome(true, null);
                }
            }
            return new Outcome(false, null);
        }
        for (String value : values) {
            for (String key : keys) {
                budget.step(line);
                switch (type) {
                    case ":is" -> {
                        if (compare(cmp, value, key) == 0) {
                            return new Outcome(true, null);
                        }
                    }
                    case ":value" -> {
                        if (relation(relation, compare(cmp, value, key), line)) {
                            return new Outcome(true, null);
                        }
                    }
                    case ":contains" -> {
                        if (cmp.equals("i;octet") ? value.contains(key) : asciiLower(value).contains(asciiLower(key))) {
                            return new Outcome(true, null);
                        }
                    }
                    case ":matches" -> {
                        List<String> g = regex(globToRegex(key), !cmp.equals("i;octet"), value, budget, line, true);
                        if (g != null) {
                            return new Outcome(true, g);
                        }
                    }
                    case ":regex" -> {
                        List<String> g = regex(key, !cmp.equals("i;octet"), value, budget, line, false);
                        if (g != null) {
                            return new Outcome(true, g);
                        }
                    }
                    default -> throw new SieveRuntimeException(line, "unknown match type " + type);
                }
            }
        }
        return new Outcome(false, null);
    }

    private static List<String> regex(String pattern, boolean caseless, String value, Budget budget, int line,
                                      boolean whole) {
        Pattern p;
        try {
            p = Pattern.compile(pattern, Pattern.DOTALL | (caseless ? Pattern.CASE_INSENSITIVE : 0));
        } catch (PatternSyntaxException e) {
            throw new SieveRuntimeException(line, "invalid regular expression '" + pattern + "': "
                    + e.getDescription());
        }
        Matcher m = p.matcher(budget.metered(value, line));
        boolean ok = whole ? m.matches() : m.find();
        if (!ok) {
            return null;
        }
        List<String> groups = new ArrayList<>();
        for (int i = 0; i <= m.groupCount() && i < 10; i++) {
            String g = m.group(i);
            groups.add(g == null ? "" : g);
        }
        return groups;
    }

    /** Sieve wildcards to a Java regex: every '*' and '?' is a capturing group, '*' as short as possible. */
    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                literal.append(glob.charAt(++i));
            } else if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    sb.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                sb.append(c == '*' ? "(.*?)" : "(.)");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            sb.append(Pattern.quote(literal.toString()));
        }
        return sb.toString();
    }

    private static boolean relation(String op, int cmp, int line) {
        return switch (op == null ? "" : op.toLowerCase(Locale.ROOT)) {
            case "gt" -> cmp > 0;
            case "ge" -> cmp >= 0;
            case "lt" -> cmp < 0;
            case "le" -> cmp <= 0;
            case "eq" -> cmp == 0;
            case "ne" -> cmp != 0;
            default -> throw new SieveRuntimeException(line, "invalid relational operator '" + op + "'");
        };
    }

    /** Comparator ordering; i;ascii-numeric puts strings without leading digits after every number. */
    static int compare(String comparator, String a, String b) {
        return switch (comparator) {
            case "i;octet" -> a.compareTo(b);
            case "i;ascii-numeric" -> {
                BigInteger x = numeric(a);
                BigInteger y = numeric(b);
                if (x == null || y == null) {
                    yield x == null ? (y == null ? 0 : 1) : -1;
                }
                yield x.compareTo(y);
            }
            default -> asciiLower(a).compareTo(asciiLower(b));
        };
    }

    private static BigInteger numeric(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i == 0 ? null : new BigInteger(s.substring(0, i));
    }

    static String asciiLower(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, (char) (c + 32));
            }
        }
        return sb == null ? s : sb.toString();
    }
}
