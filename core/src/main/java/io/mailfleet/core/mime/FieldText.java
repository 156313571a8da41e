package io.mailfleet.core.mime;

/**
 * Text from outside (a client's name, a DNS answer) put into a header field we write, so that it
 * stays one comment or one value and cannot end the field or add key-value pairs of its own.
 */
public final class FieldText {

    private FieldText() {
    }

    /** An RFC 5322 comment's text: parentheses and backslashes escaped, control characters dropped. */
    public static String comment(String s) {
        return escaped(new StringBuilder(), s, true, "()\\").toString();
    }

    /** As {@link #comment}, and non-ASCII characters dropped too (fields every reader must parse). */
    public static String asciiComment(String s) {
        return escaped(new StringBuilder(), s, false, "()\\").toString();
    }

    /** An RFC 5322 quoted-string, so any value is one value; control characters dropped. */
    public static String quoted(String s) {
        return escaped(new StringBuilder("\""), s, true, "\"\\").append('"').toString();
    }

    private static StringBuilder escaped(StringBuilder b, String s, boolean keepNonAscii, String specials) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c > 0x7f && !keepNonAscii)) {
                continue;
            }
            if (specials.indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b;
    }
}
