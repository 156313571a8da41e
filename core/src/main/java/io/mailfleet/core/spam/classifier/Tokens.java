package io.mailfleet.core.spam.classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Words of a message's text, as the classifier's features are built from: lower case, runs of letters
 * and digits (with {@code . - _ @ / : $ %} kept inside a run, so URLs, addresses and prices stay one
 * token), 2 to 40 characters, at most {@link #MAX_TOKENS}; header words keep their {@code name:} prefix.
 * A URL is followed by {@code url:<host>} and {@code url:<last two labels>} (or {@code url:ip}), an
 * address by {@code email:<domain>}: the same site behind different paths, or a spammer's rotating
 * subdomains, then count as one piece of evidence, as Rspamd's URL and email tokens do.
 */
public final class Tokens {

    /** Words taken from one message. */
    public static final int MAX_TOKENS = 4000;
    /** Characters kept of one word. */
    static final int MAX_LENGTH = 40;
    private static final String INNER = ".-_@/:$%'";

    private Tokens() {
    }

    /** The words of {@code text}, in order. */
    public static List<String> of(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i <= text.length() && out.size() < MAX_TOKENS; i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c) || (w.length() > 0 && INNER.indexOf(c) >= 0)) {
                w.append(c);
                continue;
            }
            if (w.length() > 0) {
                add(out, w);
                w.setLength(0);
            }
        }
        return out.size() > MAX_TOKENS ? out.subList(0, MAX_TOKENS) : out;
    }

    /** Whether {@code c} may stand inside a word (letters, digits and the joining punctuation). */
    static boolean inWord(char c, boolean first) {
        return Character.isLetterOrDigit(c) || !first && INNER.indexOf(c) >= 0;
    }

    private static void add(List<String> out, StringBuilder w) {
        int end = w.length();
        while (end > 0 && INNER.indexOf(w.charAt(end - 1)) >= 0) {
            end--;
        }
        if (end < 2) {
            return;
        }
        String word = w.substring(0, end).toLowerCase(Locale.ROOT);
        out.add(word.length() > MAX_LENGTH ? word.substring(0, MAX_LENGTH) : word);
        derived(word, out);
    }

    /** The site of a URL and the domain of an address, as tokens of their own. */
    private static void derived(String word, List<String> out) {
        int scheme = word.indexOf("://");
        String host = null;
        if (scheme > 0) {
            host = word.substring(scheme + 3);
        } else if (word.startsWith("www.")) {
            host = word;
        } else {
            int name = word.lastIndexOf(':') + 1; // a header word: "from:bob@example.com"
            int at = word.indexOf('@', name);
            if (at > name && at < word.length() - 3 && word.indexOf('.', at) > at) {
                out.add(cut("email:" + word.substring(at + 1)));
            }
            return;
        }
        int end = 0;
        while (end < host.length() && host.charAt(end) != '/' && host.charAt(end) != ':') {
            end++;
        }
        host = host.substring(host.lastIndexOf('@', end - 1) + 1, end);
        int dot = host.lastIndexOf('.');
        if (dot <= 0 || dot == host.length() - 1) {
            return;
        }
        if (host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            out.add("url:ip");
            return;
        }
        out.add(cut("url:" + host));
        int second = host.lastIndexOf('.', dot - 1);
        if (second > 0) {
            out.add(cut("url:" + host.substring(second + 1)));
        }
    }

    private static String cut(String t) {
        return t.length() > MAX_LENGTH ? t.substring(0, MAX_LENGTH) : t;
    }
}
