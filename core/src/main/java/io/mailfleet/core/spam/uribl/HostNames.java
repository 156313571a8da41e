package io.mailfleet.core.spam.uribl;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns the host part of a link as a sender wrote it into the name a browser would visit: percent
 * escapes decoded, lower case, trailing dots and ideographic full stops handled, internationalized
 * names as IDNA A-labels ({@code xn--}), and in a URL the numeric address forms browsers accept
 * ({@code 3232235777}, {@code 0x7f000001}) as a dotted IPv4 address.
 */
final class HostNames {

    /** A DNS name is at most 253 characters; a longer candidate is not a host. */
    static final int MAX_NAME = 253;

    private HostNames() {
    }

    /**
     * The host, or null when {@code raw} cannot be one. {@code inUrl}: it stood after {@code scheme://},
     * so numeric address forms count; in running text a number is only a number.
     */
    static String normalize(String raw, boolean inUrl) {
        if (raw == null || raw.isEmpty() || raw.length() > 4 * MAX_NAME) {
            return null;
        }
        String h = raw.indexOf('%') >= 0 ? percentDecoded(raw) : raw;
        if (h == null) {
            return null;
        }
        h = h.replace('\u3002', '.').replace('\uff0e', '.').replace('\uff61', '.');
        int end = h.length();
        while (end > 0 && h.charAt(end - 1) == '.') {
            end--;
        }
        int start = 0;
        while (start < end && h.charAt(start) == '.') {
            start++;
        }
        if (start >= end) {
            return null;
        }
        h = h.substring(start, end).toLowerCase(Locale.ROOT);
        if (inUrl) {
            String ip = ipv4(h);
            if (ip != null) {
                return ip;
            }
        }
        boolean ascii = true;
        for (int i = 0; i < h.length(); i++) {
            if (h.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            try {
                h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return valid(h) ? h : null;
    }

    /** Letters, digits, hyphens and underscores in labels of 1 to 63, at least two labels, the last not numeric. */
    static boolean valid(String h) {
        if (h.length() > MAX_NAME || h.indexOf('.') < 0) {
            return false;
        }
        int label = 0;
        boolean lastNumeric = true;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c == '.') {
                if (label == 0 || h.charAt(i - 1) == '-') {
                    return false;
                }
                label = 0;
                lastNumeric = true;
                continue;
            }
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
            if (label == 0 && c == '-' || ++label > 63) {
                return false;
            }
            if (!(c >= '0' && c <= '9')) {
                lastNumeric = false;
            }
        }
        return label > 0 && !lastNumeric;
    }

    /**
     * A dotted IPv4 address for the forms a browser reads as one (dotted decimal, one 32-bit decimal or
     * hexadecimal number), else null. Octal and mixed forms are left out: they are rare in mail and
     * ambiguous with version numbers.
     */
    static String ipv4(String h) {
        long v;
        if (h.startsWith("0x") && h.length() > 2 && h.length() <= 10) {
            v = 0;
            for (int i = 2; i < h.length(); i++) {
                int d = Character.digit(h.charAt(i), 16);
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            return dotted(v);
        }
        int dots = 0;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return null;
            }
        }
        if (dots == 0) {
            if (h.length() > 10) {
                return null;
            }
            v = Long.parseLong(h);
            return v <= 0xffffffffL && v >= 0x1000000L ? dotted(v) : null;
        }
        if (dots != 3) {
            return null;
        }
        String[] p = h.split("\\.", -1);
        v = 0;
        for (String o : p) {
            if (o.isEmpty() || o.length() > 3) {
                return null;
            }
            int n = Integer.parseInt(o);
            if (n > 255) {
                return null;
            }
            v = v * 256 + n;
        }
        return dotted(v);
    }

    private static String dotted(long v) {
        return ((v >> 24) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
    }

    /** {@code %65vil.com} as {@code evil.com}; null when an escape is broken. */
    private static String percentDecoded(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
