package io.mailfleet.core.spam.classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Words of a message's text, as the classifier's features are built from: lower case, runs of letters
 * and digits (with {@code . - _ @ / : $ %} kept inside a run, so URLs, addresses and prices stay one
 * token), 2 to 40 characters, at most {@link #MAX_TOKENS}; header words keep their {@code name:} prefix.
 */
public final class Tokens {

    /** Words taken from one message. */
    public static final int MAX_TOKENS = 4000;

    private Tokens() {
    }

    /** The words of {@code text}, in order. */
    public static List<String> of(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i <= text.length() && out.size() < MAX_TOKENS; i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c) || (w.length() > 0 && ".-_@/:$%'".indexOf(c) >= 0)) {
                w.append(c);
                continue;
            }
            if (w.length() > 0) {
                add(out, w);
                w.setLength(0);
            }
        }
        return out;
    }

    private static void add(List<String> out, StringBuilder w) {
        int end = w.length();
        while (end > 0 && ".-_@/:$%'".indexOf(w.charAt(end - 1)) >= 0) {
            end--;
        }
        if (end >= 2) {
            String t = w.substring(0, Math.min(end, 40)).toLowerCase(Locale.ROOT);
            out.add(t);
        }
    }
}
