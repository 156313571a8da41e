package io.mailfleet.core.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Lenient parsers for Content-* header values; bad syntax yields null, never an exception. */
final class MimeFields {

    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

    /** A parsed Content-Type. */
    record ContentType(String type, String subtype, List<Param> params) {
    }

    private MimeFields() {
    }

    /** Parses "type/subtype; params"; null when type or subtype is not a valid token. */
    static ContentType contentType(String value) {
        if (value == null) {
            return null;
        }
        int semi = indexOfUnquoted(value, ';');
        String head = (semi < 0 ? value : value.substring(0, semi)).trim();
        int slash = head.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String type = head.substring(0, slash).trim();
        String subtype = head.substring(slash + 1).trim();
        if (!isToken(type) || !isToken(subtype)) {
            return null;
        }
        return new ContentType(type, subtype, semi < 0 ? List.of() : params(value.substring(semi + 1)));
    }

    /** Parses a Content-Disposition; null when its type is not a token. */
    static Disposition disposition(String value) {
        if (value == null) {
            return null;
        }
        int semi = indexOfUnquoted(value, ';');
        String type = (semi < 0 ? value : value.substring(0, semi)).trim();
        if (!isToken(type)) {
            return null;
        }
        return new Disposition(type, semi < 0 ? List.of() : params(value.substring(semi + 1)));
    }

    /** Language tags separated by commas or whitespace; comments dropped. */
    static List<String> languages(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : value.replaceAll("\\([^)]*\\)", " ").split("[,\\s]+")) {
            if (isToken(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The transfer encoding as written when it is a valid token, else null (meaning 7bit). */
    static String encoding(String value) {
        if (value == null) {
            return null;
        }
        String v = value.replaceAll("\\([^)]*\\)", "").trim();
        return isToken(v) ? v : null;
    }

    /** Parses "; name=value; name="quoted"" lists in order; entries without '=' are skipped. */
    static List<Param> params(String s) {
        List<Param> out = new ArrayList<>();
        int n = s.length();
        int k = 0;
        while (k < n) {
            int eq = -1;
            int start = k;
            while (k < n && s.charAt(k) != ';' && s.charAt(k) != '=') {
                k++;
            }
            if (k >= n || s.charAt(k) == ';') {
                k++;
                continue;
            }
            eq = k;
            String name = s.substring(start, eq).trim().toLowerCase(Locale.ROOT);
            k = eq + 1;
            while (k < n && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) {
                k++;
            }
            StringBuilder value = new StringBuilder();
            if (k < n && s.charAt(k) == '"') {
                k++;
                while (k < n && s.charAt(k) != '"') {
                    if (s.charAt(k) == '\\' && k + 1 < n) {
                        k++;
                    }
                    value.append(s.charAt(k++));
                }
                k++;
                while (k < n && s.charAt(k) != ';') {
                    k++;
                }
            } else {
                int vs = k;
                while (k < n && s.charAt(k) != ';') {
                    k++;
                }
                value.append(s, vs, k);
                trimEnd(value);
            }
            k++;
            if (isToken(name)) {
                out.add(new Param(name, value.toString()));
            }
        }
        return out;
    }

    private static void trimEnd(StringBuilder sb) {
        int len = sb.length();
        while (len > 0 && Character.isWhitespace(sb.charAt(len - 1))) {
            len--;
        }
        sb.setLength(len);
    }

    private static int indexOfUnquoted(String s, char c) {
        boolean quoted = false;
        for (int k = 0; k < s.length(); k++) {
            char d = s.charAt(k);
            if (d == '\\' && quoted) {
                k++;
            } else if (d == '"') {
                quoted = !quoted;
            } else if (d == c && !quoted) {
                return k;
            }
        }
        return -1;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c <= ' ' || c >= 127 || TSPECIALS.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
