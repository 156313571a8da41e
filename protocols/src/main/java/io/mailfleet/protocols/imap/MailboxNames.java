package io.mailfleet.protocols.imap;

import io.mailfleet.core.imap.ModifiedUtf7;

import java.util.Locale;
import java.util.regex.Pattern;

/** Mailbox names on the wire: modified UTF-7, INBOX case-insensitivity, LIST wildcards. */
final class MailboxNames {
    private MailboxNames() {
    }

    /** The stored name of a wire name; throws {@link ImapParseException} for invalid modified UTF-7. */
    static String fromWire(String wire, char delimiter) {
        String name;
        try {
            name = ModifiedUtf7.decode(wire);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException(e.getMessage());
        }
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

    static String toWire(String name) {
        return quote(ModifiedUtf7.encode(name));
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A LIST pattern ({@code *} any, {@code %} any but the delimiter) as a regular expression. */
    static Pattern pattern(String reference, String wildcard, char delimiter) {
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
