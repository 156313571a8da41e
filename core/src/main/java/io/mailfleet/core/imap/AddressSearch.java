package io.mailfleet.core.imap;

import io.mailfleet.core.mime.Address;
import io.mailfleet.core.mime.Envelope;
import jakarta.mail.internet.MimeUtility;

import java.io.UnsupportedEncodingException;
import java.util.List;
import java.util.Locale;

/**
 * SEARCH FROM, TO, CC and BCC against the addresses as ENVELOPE parses them, so an address written
 * with comments ({@code john(work)@example.com}), quoting or a display name is found by the
 * {@code mailbox@host} and the name the client was shown.
 */
final class AddressSearch {

    private AddressSearch() {
    }

    /** True when {@code needle} (lower case) is in an address of {@code field} of {@code e}. */
    static boolean matches(Envelope e, String field, String needle) {
        List<Address> list = switch (field.toLowerCase(Locale.ROOT)) {
            case "from" -> e.from();
            case "to" -> e.to();
            case "cc" -> e.cc();
            case "bcc" -> e.bcc();
            default -> List.of();
        };
        for (Address a : list) {
            if (a.isGroupEnd()) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            if (a.name() != null) {
                text.append(decode(a.name())).append(' ');
            }
            if (a.isGroupStart()) {
                text.append(a.mailbox());
            } else {
                text.append('<').append(a.mailbox()).append('@').append(a.host()).append('>');
            }
            String t = text.toString().toLowerCase(Locale.ROOT);
            if (t.contains(needle) || t.replace("<", "").replace(">", "").contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private static String decode(String v) {
        try {
            return MimeUtility.decodeText(v);
        } catch (UnsupportedEncodingException | RuntimeException e) {
            return v;
        }
    }
}
