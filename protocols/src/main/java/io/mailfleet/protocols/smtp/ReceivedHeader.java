package io.mailfleet.protocols.smtp;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Builds the trace field RFC 5321 §4.4 asks every receiving server to prepend. */
final class ReceivedHeader {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private ReceivedHeader() {
    }

    /**
     * @param helo      the client's EHLO/HELO name
     * @param clientIp  the client's address, or null to hide it (submission privacy)
     * @param with      {@code SMTP}, {@code ESMTP}, {@code ESMTPS}, {@code ESMTPA} or {@code ESMTPSA}
     * @param recipient the single recipient, or null when there are several
     */
    static String build(String hostname, String helo, String clientIp, String with, String id, String recipient,
                        ZonedDateTime when) {
        StringBuilder sb = new StringBuilder("Received: ");
        if (clientIp != null) {
            String literal = clientIp.indexOf(':') >= 0 ? "IPv6:" + clientIp : clientIp;
            sb.append("from ").append(sanitize(helo)).append(" ([").append(literal).append("])\r\n\t");
        }
        sb.append("by ").append(hostname).append(" (Mailfleet) with ").append(with).append(" id ").append(id);
        if (recipient != null) {
            sb.append("\r\n\tfor <").append(sanitize(recipient)).append('>');
        }
        sb.append("; ").append(DATE.format(when)).append("\r\n");
        return sb.toString();
    }

    /** Client-supplied text must not break the header structure. */
    private static String sanitize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x21 || c == 0x7f || c == '(' || c == ')' || c == ';' ? '_' : c);
        }
        return sb.toString();
    }
}
