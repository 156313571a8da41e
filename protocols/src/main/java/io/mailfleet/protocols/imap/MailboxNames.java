package io.mailfleet.protocols.imap;

import io.mailfleet.core.imap.ModifiedUtf7;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Mailbox names on the wire: modified UTF-7 (RFC 3501 §5.1.3), or UTF-8 once the client enabled
 * {@code UTF8=ACCEPT} (RFC 6855 §3); INBOX case-insensitivity; LIST wildcards.
 */
public final class MailboxNames {
    private MailboxNames() {
    }

    /** The stored name of a modified UTF-7 wire name. */
    public static String fromWire(String wire, char delimiter) {
        return fromWire(wire, delimiter, false);
    }

    /**
     * The stored name of a wire name, in UTF-8 when {@code utf8} (after ENABLE UTF8=ACCEPT) and in
     * modified UTF-7 otherwise; throws {@link ImapParseException} naming what is wrong.
     */
    public static String fromWire(String wire, char delimiter, boolean utf8) {
        String name = decode(wire, utf8);
        if (name.equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        if (name.toUpperCase(Locale.ROOT).startsWith("INBOX" + delimiter)) {
            name = "INBOX" + name.substring(5);
        }
        while (name.endsWith(String.valueOf(delimiter)) && name.length() > 1) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    /** A wire name or LIST pattern as a stored name (wildcards pass through unchanged). */
    public static String decode(String wire, boolean utf8) {
        String name;
        if (utf8) {
            if (wire.indexOf('\uFFFD') >= 0) {
                // The command decoder turns bytes that are not UTF-8 into U+FFFD.
                throw new ImapParseException("mailbox name is not valid UTF-8");
            }
            name = wire;
        } else {
            try {
                name = ModifiedUtf7.decode(wire);
            } catch (IllegalArgumentException e) {
                String hint = wire.chars().anyMatch(c -> c > 0x7e) ? " (or send ENABLE UTF8=ACCEPT first)" : "";
                throw new ImapParseException(e.getMessage() + hint);
            }
        }
        checkCharacters(name);
        return name;
    }

    /** RFC 6855 §3: no control characters, DEL, U+2028 or U+2029 in a mailbox name. */
    private static void checkCharacters(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029') {
                throw new ImapParseException(String.format(
                        "mailbox name contains the control character U+%04X (not allowed by RFC 6855)", (int) c));
            }
        }
    }

    public static String toWire(String name) {
        return toWire(name, false);
    }

    /**
     * A stored name as a quoted string: UTF-8 as is after ENABLE UTF8=ACCEPT, modified UTF-7
     * otherwise. A name with characters a quoted string cannot carry goes as a literal.
     */
    public static String toWire(String name, boolean utf8) {
        if (!utf8) {
            return quote(ModifiedUtf7.encode(name));
        }
        if (name.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            return "{" + name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "}\r\n" + name;
        }
        return quote(name);
    }

    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A LIST pattern ({@code *} any, {@code %} any but the delimiter) as a regular expression. */
    public static Pattern pattern(String reference, String wildcard, char delimiter) {
        String full = reference + wildcard;
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < full.length(); i++) {
            char c = full.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '%') {
                re.append("[^").append(Pattern.quote(String.valueOf(delimiter))).append("]*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        String r = re.toString();
        // INBOX matches case-insensitively.
        if (full.length() >= 5 && full.substring(0, 5).equalsIgnoreCase("INBOX")) {
            return Pattern.compile("(?i:" + Pattern.quote("INBOX") + ")" + regexAfter(full.substring(5), delimiter));
        }
        return Pattern.compile(r);
    }

    private static String regexAfter(String s, char delimiter) {
        StringBuilder re = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '*') {
                re.append(".*");
            } else if (c == '%') {
                re.append("[^").append(Pattern.quote(String.valueOf(delimiter))).append("]*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
