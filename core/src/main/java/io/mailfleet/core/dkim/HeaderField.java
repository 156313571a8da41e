package io.mailfleet.core.dkim;

import java.util.Locale;

/**
 * One header field exactly as it appeared, folding included, without the final CRLF.
 * The text is ISO-8859-1 so that every byte (UTF-8 headers included) maps to one char and back.
 */
record HeaderField(String name, String raw) {
    String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The part after the first colon, unchanged. */
    String rawValue() {
        return raw.substring(raw.indexOf(':') + 1);
    }
}
