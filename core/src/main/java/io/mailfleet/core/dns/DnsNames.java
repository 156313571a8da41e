package io.mailfleet.core.dns;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

import java.util.Locale;

/** Turns the domain names checks work with (plain strings) into dnsjava names. */
public final class DnsNames {

    private DnsNames() {
    }

    /**
     * Parses an absolute name; a missing trailing dot is added. Any printable ASCII is allowed in a
     * label (DNS labels are octets; SPF macros can produce '%' or spaces); control and non-ASCII
     * characters are not.
     */
    public static Name parse(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty domain name");
        }
        StringBuilder escaped = new StringBuilder(name.length() + 1);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("invalid character in domain name '" + name + "'");
            }
            if (c == '\\' || c == ' ' || c == '(' || c == ')' || c == ';' || c == '"' || c == '@' || c == '$') {
                escaped.append('\\').append(String.format(Locale.ROOT, "%03d", (int) c));
            } else {
                escaped.append(c);
            }
        }
        if (!name.endsWith(".")) {
            escaped.append('.');
        }
        try {
            return Name.fromString(escaped.toString());
        } catch (TextParseException e) {
            throw new IllegalArgumentException("invalid domain name '" + name + "': " + e.getMessage());
        }
    }
}
