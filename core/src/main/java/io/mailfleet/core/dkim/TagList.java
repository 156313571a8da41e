package io.mailfleet.core.dkim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** RFC 6376 §3.2 tag=value lists; whitespace (FWS) around tags and values is dropped. */
final class TagList {
    private TagList() {
    }

    static Map<String, String> parse(String text, String what) throws DkimException {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : text.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new DkimException(what + ": malformed tag '" + p + "'");
            }
            String tag = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).strip();
            if (tags.put(tag, value) != null) {
                throw new DkimException(what + ": tag " + tag + "= given twice");
            }
        }
        return tags;
    }

    /** Removes every whitespace character (FWS inside base64 values and lists). */
    static String noWhitespace(String s) {
        // a loop, not a regular expression: it runs for every tag of every signature verified
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (space && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            } else if (!space && out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
