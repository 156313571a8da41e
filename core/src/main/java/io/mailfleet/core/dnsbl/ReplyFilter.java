package io.mailfleet.core.dnsbl;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A postscreen reply filter such as {@code 127.0.0.[2..11]} or {@code 127.0.[0..255].[1;3]}: four octet
 * patterns, each a number or a bracketed list of numbers and {@code low..high} ranges separated by
 * {@code ;}. An A record that matches all four octets counts as a listing.
 *
 * @param text the filter as written
 */
public record ReplyFilter(String text, List<List<int[]>> octets) {

    public ReplyFilter {
        Objects.requireNonNull(text, "text");
        octets = List.copyOf(octets);
        if (octets.size() != 4) {
            throw new IllegalArgumentException("a reply filter has four octets: " + text);
        }
    }

    /** Parses {@code d.d.d.d} where each {@code d} is a number or {@code [n;n..m;...]}. */
    public static ReplyFilter parse(String text) {
        List<String> parts = splitOctets(text);
        if (parts.size() != 4) {
            throw new IllegalArgumentException("reply filter '" + text + "' does not have four octets");
        }
        List<List<int[]>> octets = new ArrayList<>();
        for (String p : parts) {
            octets.add(octet(p, text));
        }
        return new ReplyFilter(text, octets);
    }

    /** True when {@code answer} is an IPv4 address whose every octet is in its pattern. */
    public boolean matches(InetAddress answer) {
        if (!(answer instanceof Inet4Address)) {
            return false;
        }
        byte[] b = answer.getAddress();
        for (int i = 0; i < 4; i++) {
            int v = b[i] & 0xff;
            boolean in = false;
            for (int[] r : octets.get(i)) {
                if (v >= r[0] && v <= r[1]) {
                    in = true;
                    break;
                }
            }
            if (!in) {
                return false;
            }
        }
        return true;
    }

    /** Splits at the dots outside brackets (a range's {@code ..} is inside them). */
    private static List<String> splitOctets(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inBracket = false;
        for (char c : text.toCharArray()) {
            if (c == '[') {
                inBracket = true;
            } else if (c == ']') {
                inBracket = false;
            }
            if (c == '.' && !inBracket) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static List<int[]> octet(String p, String text) {
        if (p.startsWith("[") && p.endsWith("]") && p.length() > 2) {
            List<int[]> ranges = new ArrayList<>();
            for (String item : p.substring(1, p.length() - 1).split(";", -1)) {
                int dots = item.indexOf("..");
                if (dots < 0) {
                    int n = number(item, text);
                    ranges.add(new int[]{n, n});
                } else {
                    int low = number(item.substring(0, dots), text);
                    int high = number(item.substring(dots + 2), text);
                    if (low > high) {
                        throw new IllegalArgumentException("reply filter '" + text + "': range " + item + " is empty");
                    }
                    ranges.add(new int[]{low, high});
                }
            }
            return List.copyOf(ranges);
        }
        int n = number(p, text);
        return List.<int[]>of(new int[]{n, n});
    }

    private static int number(String s, String text) {
        if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("reply filter '" + text + "': '" + s + "' is not a number 0..255");
        }
        int n = Integer.parseInt(s);
        if (n > 255) {
            throw new IllegalArgumentException("reply filter '" + text + "': " + n + " is not a number 0..255");
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplyFilter f && f.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
