package io.mailfleet.protocols.smtp.command;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The argument of MAIL FROM / RCPT TO: the path between angle brackets (source route dropped) and the
 * ESMTP parameters, keys upper-cased, in order.
 */
record PathArgument(String address, Map<String, String> params) {

    /**
     * Parses {@code FROM:<a@b> SIZE=10}; returns null when the syntax is wrong.
     *
     * @param keyword {@code FROM:} or {@code TO:}
     */
    static PathArgument parse(String arg, String keyword) {
        if (arg.length() < keyword.length() || !arg.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return null;
        }
        String rest = arg.substring(keyword.length()).stripLeading();
        if (!rest.startsWith("<")) {
            return null;
        }
        int close = closingBracket(rest);
        if (close < 0) {
            return null;
        }
        String path = rest.substring(1, close);
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            if (colon < 0) {
                return null;
            }
            path = path.substring(colon + 1); // RFC 5321 §4.1.2: source routes are ignored
        }
        Map<String, String> params = new LinkedHashMap<>();
        String tail = rest.substring(close + 1);
        if (!tail.isEmpty() && !tail.startsWith(" ")) {
            return null;
        }
        for (String p : tail.trim().split(" +")) {
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (key.isEmpty()) {
                return null;
            }
            params.put(key, eq < 0 ? null : p.substring(eq + 1));
        }
        return new PathArgument(path, params);
    }

    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
