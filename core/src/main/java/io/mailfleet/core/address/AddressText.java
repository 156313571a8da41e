package io.mailfleet.core.address;

/**
 * Whether a name an operator gives (account, alias, restriction) is text a person meant: bytes that were not
 * valid UTF-8 arrive decoded as U+FFFD, and control, format-breaking or unassigned-forever code points have no
 * place in an address. SMTP envelopes are judged by {@link MailAddress#parse} alone; this is the stricter rule
 * for names stored in the directory.
 */
public final class AddressText {

    private AddressText() {
    }

    /**
     * Throws {@link InvalidAddressException} naming the first character that does not belong in an address.
     */
    public static void requireWellFormed(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String problem = problem(text, i, cp);
            if (problem != null) {
                throw new InvalidAddressException("'" + printable(text) + "' " + problem);
            }
            i += Character.charCount(cp);
        }
    }

    private static String problem(String text, int i, int cp) {
        if (cp == 0xFFFD) {
            return "is not valid UTF-8 (it contains U+FFFD, the replacement for undecodable bytes)";
        }
        if (Character.isSurrogate(text.charAt(i)) && Character.charCount(cp) == 1) {
            return "is not valid UTF-16/UTF-8 (unpaired surrogate U+" + hex(cp) + ")";
        }
        if (Character.isISOControl(cp) || (cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) {
            return "contains the control or non-character U+" + hex(cp);
        }
        if (Character.isSpaceChar(cp) || Character.getType(cp) == Character.LINE_SEPARATOR
                || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR) {
            return "contains the space character U+" + hex(cp);
        }
        return null;
    }

    /** The text with anything outside printable ASCII and letters escaped, so the message itself is readable. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F || cp > 0x9F && Character.isLetterOrDigit(cp)) {
                b.appendCodePoint(cp);
            } else {
                b.append("\\u{").append(hex(cp)).append('}');
            }
        });
        return b.toString();
    }

    private static String hex(int cp) {
        return String.format("%04X", cp);
    }
}
