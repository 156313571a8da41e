package io.mailfleet.protocols.outbound;

import java.util.Locale;

/** The MAIL FROM BODY parameter of a message (RFC 6152, RFC 3030). */
public enum BodyType {
    SEVEN_BIT,
    EIGHT_BIT_MIME,
    /** Sendable only with BDAT, which this client does not implement: such mail fails with 5.6.3. */
    BINARY_MIME;

    /** Maps the {@code body} field of a queue envelope ({@code 7BIT}, {@code 8BITMIME}, {@code BINARYMIME}, null). */
    public static BodyType of(String body) {
        if (body == null || body.isBlank()) {
            return SEVEN_BIT;
        }
        switch (body.strip().toUpperCase(Locale.ROOT)) {
            case "7BIT":
                return SEVEN_BIT;
            case "8BITMIME":
                return EIGHT_BIT_MIME;
            case "BINARYMIME":
                return BINARY_MIME;
            default:
                throw new IllegalArgumentException("unknown BODY type '" + body + "' (7BIT, 8BITMIME or BINARYMIME)");
        }
    }
}
