package io.mailfleet.cluster.delivery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The authentication results of an inbound message for its delivery log line ({@code spf=pass
 * dkim=pass,fail dmarc=fail arc=none}), read from the {@code Authentication-Results:} field this server
 * wrote on arrival. That field sits above the server's own {@code Received:} line (the end-of-data
 * checks prepend it; whatever the client sent is below), so only fields above the first
 * {@code Received:} are read: a field a client planted is never taken for ours.
 */
public final class AuthenticationLogFields {

    private static final List<String> METHODS = List.of("spf", "dkim", "dmarc", "arc");

    private AuthenticationLogFields() {
    }

    /** {@code " spf=… dkim=… dmarc=…"} (with a leading space) from a header block, or "" without our field. */
    public static String of(byte[] header) {
        if (header == null) {
            return "";
        }
        String value = ownField(new String(header, StandardCharsets.ISO_8859_1));
        if (value == null) {
            return "";
        }
        String plain = withoutCommentsAndQuotes(value);
        int semi = plain.indexOf(';');
        if (semi < 0) {
            return "";
        }
        List<List<String>> results = new ArrayList<>();
        METHODS.forEach(m -> results.add(new ArrayList<>()));
        for (String resinfo : plain.substring(semi + 1).split(";")) {
            String r = resinfo.strip();
            int eq = r.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            int i = METHODS.indexOf(r.substring(0, eq).strip().toLowerCase(Locale.ROOT));
            String rest = r.substring(eq + 1).strip();
            String result = rest.split("[\\s]", 2)[0].toLowerCase(Locale.ROOT);
            if (i >= 0 && result.matches("[a-z]{1,16}")) {
                results.get(i).add(result);
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < METHODS.size(); i++) {
            if (!results.get(i).isEmpty()) {
                out.append(' ').append(METHODS.get(i)).append('=').append(String.join(",", results.get(i)));
            }
        }
        return out.toString();
    }

    /** The unfolded value of the first Authentication-Results field above the first Received field, or null. */
    static String ownField(String header) {
        String[] lines = header.split("\r?\n", -1);
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : lines) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (name != null) {
                    value.append(' ').append(line.strip());
                }
                continue;
            }
            if ("authentication-results".equals(name)) {
                return value.toString();
            }
            int colon = line.indexOf(':');
            if (line.isEmpty() || colon <= 0) {
                return null; // the end of the header, or not a field: no more of ours
            }
            name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (name.equals("received")) {
                return null;
            }
            value.setLength(0);
            value.append(line.substring(colon + 1).strip());
        }
        return "authentication-results".equals(name) ? value.toString() : null;
    }

    /** The value with RFC 5322 comments and quoted strings taken out (their ';' and '=' are not structure). */
    static String withoutCommentsAndQuotes(String v) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && (depth > 0 || quoted)) {
                i++;
            } else if (quoted) {
                if (c == '"') {
                    quoted = false;
                    b.append("\"\"");
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                if (c == '"') {
                    quoted = true;
                } else {
                    b.append(c);
                }
            }
        }
        return b.toString();
    }
}
