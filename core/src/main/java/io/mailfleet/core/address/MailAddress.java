package io.mailfleet.core.address;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * A mailbox address {@code local@domain} as used in envelopes and the directory.
 *
 * <p>The domain is stored lower-cased in its ASCII (IDNA) form so that lookups are stable; the
 * local part keeps its case on the wire but {@link #key()} gives the lower-cased form the directory
 * is indexed by (logins are case-insensitive, as in docker-mailserver).
 */
public record MailAddress(String localPart, String domain) {

    private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?");

    /** Longest address RFC 5321 §4.5.3.1.3 allows on the wire (path minus angle brackets). */
    public static final int MAX_LENGTH = 254;

    public MailAddress {
        if (localPart == null || localPart.isEmpty()) {
            throw new InvalidAddressException("the local part is empty");
        }
        if (domain == null || domain.isEmpty()) {
            throw new InvalidAddressException("the address should include the domain");
        }
    }

    /** Parses {@code local@domain}; throws {@link InvalidAddressException} naming the problem. */
    public static MailAddress parse(String text) {
        if (text == null) {
            throw new InvalidAddressException("no address given");
        }
        String s = text.trim();
        if (s.length() > MAX_LENGTH) {
            throw new InvalidAddressException("address longer than " + MAX_LENGTH + " characters");
        }
        int at = s.lastIndexOf('@');
        if (at < 0) {
            throw new InvalidAddressException("'" + s + "' should include the domain (user@example.com)");
        }
        String local = s.substring(0, at);
        String dom = s.substring(at + 1);
        validateLocal(local, s);
        return new MailAddress(local, normalizeDomain(dom, s));
    }

    /** Like {@link #parse} but empty instead of an exception. */
    public static Optional<MailAddress> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (InvalidAddressException e) {
            return Optional.empty();
        }
    }

    /** Lower-cases and converts an internationalised domain to its ASCII form; rejects bad labels. */
    public static String normalizeDomain(String domain, String context) {
        if (domain.isEmpty()) {
            throw new InvalidAddressException("'" + context + "' should include the domain (user@example.com)");
        }
        String d = domain;
        if (d.startsWith("[") && d.endsWith("]")) {
            return d.toLowerCase(Locale.ROOT); // address literal
        }
        // IDN conversion is costly and runs for every address on the hot path; plain ASCII needs none.
        if (!isAscii(d)) {
            try {
                d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new InvalidAddressException("'" + context + "' has an invalid domain: " + e.getMessage());
            }
        }
        d = d.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || !LABEL.matcher(label).matches()) {
                throw new InvalidAddressException("'" + context + "' has an invalid domain '" + domain + "'");
            }
        }
        return d;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static void validateLocal(String local, String context) {
        if (local.isEmpty()) {
            throw new InvalidAddressException("'" + context + "' has an empty local part");
        }
        if (local.length() > 64) {
            throw new InvalidAddressException("'" + context + "' has a local part longer than 64 characters");
        }
        boolean quoted = local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"");
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c < 0x21 && !(quoted && c == ' ') || c == 0x7f) {
                throw new InvalidAddressException("'" + context + "' contains a control character or space");
            }
            if (!quoted && (c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':'
                    || c == '\\' || c == '[' || c == ']' || c == '"' || c == '@')) {
                throw new InvalidAddressException("'" + context + "' has an invalid character '" + c + "' in its local part");
            }
        }
        if (!quoted && (local.startsWith(".") || local.endsWith(".") || local.contains(".."))) {
            throw new InvalidAddressException("'" + context + "' has a misplaced dot in its local part");
        }
    }

    /** The lower-cased {@code local@domain} used as directory key and login. */
    public String key() {
        return localPart.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    /** This address with a subaddress detail ({@code user+tag}) removed, using the given delimiters. */
    public MailAddress withoutDetail(String delimiters) {
        if (delimiters == null || delimiters.isEmpty()) {
            return this;
        }
        for (int i = 0; i < localPart.length(); i++) {
            if (delimiters.indexOf(localPart.charAt(i)) >= 0 && i > 0) {
                return new MailAddress(localPart.substring(0, i), domain);
            }
        }
        return this;
    }

    /** The detail part after the first delimiter, if any ({@code tag} of {@code user+tag}). */
    public Optional<String> detail(String delimiters) {
        if (delimiters == null || delimiters.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 1; i < localPart.length(); i++) {
            if (delimiters.indexOf(localPart.charAt(i)) >= 0) {
                return Optional.of(localPart.substring(i + 1));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }
}
