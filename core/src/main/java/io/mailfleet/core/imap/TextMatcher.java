package io.mailfleet.core.imap;

import java.io.IOException;
import java.io.Reader;

/**
 * Case-insensitive substring search over a character stream (Knuth-Morris-Pratt): memory is the
 * needle's length whatever the text's, so SEARCH TEXT and BODY read a message part as it streams
 * instead of loading it.
 */
public final class TextMatcher {

    private final char[] needle;
    private final int[] fallback;

    public TextMatcher(String needle) {
        this.needle = new char[needle.length()];
        for (int i = 0; i < needle.length(); i++) {
            this.needle[i] = fold(needle.charAt(i));
        }
        this.fallback = new int[this.needle.length];
        for (int i = 1, k = 0; i < this.needle.length; i++) {
            while (k > 0 && this.needle[i] != this.needle[k]) {
                k = fallback[k - 1];
            }
            if (this.needle[i] == this.needle[k]) {
                k++;
            }
            fallback[i] = k;
        }
    }

    /** True when the needle occurs in {@code text}. */
    public boolean in(CharSequence text) {
        if (needle.length == 0) {
            return true;
        }
        int k = 0;
        for (int i = 0; i < text.length(); i++) {
            k = step(k, fold(text.charAt(i)));
            if (k == needle.length) {
                return true;
            }
        }
        return false;
    }

    /** True when the needle occurs in what {@code in} reads; stops reading at the first match. */
    public boolean in(Reader in) throws IOException {
        if (needle.length == 0) {
            return true;
        }
        char[] buf = new char[8192];
        int k = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            for (int i = 0; i < n; i++) {
                k = step(k, fold(buf[i]));
                if (k == needle.length) {
                    return true;
                }
            }
        }
        return false;
    }

    private int step(int k, char c) {
        while (k > 0 && c != needle[k]) {
            k = fallback[k - 1];
        }
        return c == needle[k] ? k + 1 : k;
    }

    private static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }
}
