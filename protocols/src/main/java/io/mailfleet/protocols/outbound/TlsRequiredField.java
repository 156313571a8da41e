package io.mailfleet.protocols.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the RFC 8689 §5 {@code TLS-Required: No} header field from a message's header section: the
 * sender asks that the recipient domain's TLS policy (MTA-STS) not stop delivery.
 */
final class TlsRequiredField {

    /** Header sections beyond this are not searched (the field is written by the sender's client, near the top). */
    static final int MAX_HEADER = 256 * 1024;

    private TlsRequiredField() {
    }

    /** True when the header section has {@code TLS-Required: No}; a read failure counts as absent. */
    static boolean optsOut(MessageSource message) {
        // buffered: the field is read byte by byte and a blob stream may be a bare file
        try (InputStream in = new java.io.BufferedInputStream(message.open(), 8192)) {
            return optsOut(in);
        } catch (IOException e) {
            return false;
        }
    }

    static boolean optsOut(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        String field = null;
        int read = 0;
        int c;
        while (read < MAX_HEADER && (c = in.read()) >= 0) {
            read++;
            if (c == '\r') {
                continue;
            }
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            if (line.length() == 0) {
                break; // end of the header section
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && field != null) {
                field += line; // folded continuation
            } else {
                if (matches(field)) {
                    return true;
                }
                field = line.toString();
            }
            line.setLength(0);
        }
        if (line.length() > 0) {
            // a header section that ends without a line end: the pending line is its last field (or continuation)
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && field != null) {
                field += line;
            } else if (matches(field)) {
                return true;
            } else {
                field = line.toString();
            }
        }
        return matches(field);
    }

    private static boolean matches(String field) {
        if (field == null) {
            return false;
        }
        int colon = field.indexOf(':');
        if (colon < 0 || !field.substring(0, colon).strip().equalsIgnoreCase("TLS-Required")) {
            return false;
        }
        String value = new String(field.substring(colon + 1).getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.US_ASCII).strip().toLowerCase(Locale.ROOT);
        return value.equals("no");
    }
}
