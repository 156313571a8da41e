package io.mailfleet.core.mime;

/**
 * Limits on a message's header section, checked while the message arrives (SMTP DATA/BDAT, IMAP
 * APPEND) so that no stored message makes later header work unbounded.
 *
 * @param maxHeaderBytes all header lines together, line ends included (Postfix's {@code header_size_limit})
 * @param maxLineLength  one physical header line without its CRLF (RFC 5322 §2.1.1: 998)
 */
public record HeaderLimits(int maxHeaderBytes, int maxLineLength) {

    /** Postfix's {@code header_size_limit}. */
    public static final int DEFAULT_HEADER_BYTES = 102_400;
    /** RFC 5322 §2.1.1 and RFC 5321 §4.5.3.1.6. */
    public static final int DEFAULT_LINE_LENGTH = 998;
    public static final HeaderLimits DEFAULT = new HeaderLimits(DEFAULT_HEADER_BYTES, DEFAULT_LINE_LENGTH);

    public HeaderLimits {
        if (maxLineLength < 78 || maxLineLength > DEFAULT_LINE_LENGTH) {
            throw new IllegalArgumentException("header line length limit must be 78..998, got " + maxLineLength);
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("header size limit must be at least 1024 bytes, got " + maxHeaderBytes);
        }
    }
}
