package io.mailfleet.protocols.framing;

/**
 * The literal announcement that ends a command line: {@code {n}}, {@code {n+}} (non-synchronizing,
 * RFC 7888) and, where the protocol has it, {@code ~{n}} (IMAP literal8, RFC 3516).
 *
 * @param start   where the marker begins in the line (the text before it is the command so far)
 * @param octets  the announced size; -1 when the digits exceed a signed 64-bit count
 * @param nonSync the client does not wait for a continuation ({@code +})
 * @param binary  a literal8 ({@code ~})
 */
public record LiteralMarker(int start, long octets, boolean nonSync, boolean binary) {

    /** The grammar of one protocol's literal marker. */
    public record Syntax(int maxDigits, boolean literal8) {

        /** IMAP: up to 19 digits, literal8 allowed. */
        public static final Syntax IMAP = new Syntax(19, true);
        /** ManageSieve (RFC 5804): up to 10 digits, no literal8. */
        public static final Syntax MANAGESIEVE = new Syntax(10, false);
    }

    /** The marker at the end of {@code line}, or null when the line does not end with one. */
    public static LiteralMarker find(String line, Syntax syntax) {
        int end = line.length() - 1;
        if (end < 0 || line.charAt(end) != '}') {
            return null;
        }
        int i = end - 1;
        boolean nonSync = i >= 0 && line.charAt(i) == '+';
        if (nonSync) {
            i--;
        }
        int lastDigit = i;
        while (i >= 0 && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
            i--;
        }
        int digits = lastDigit - i;
        if (digits < 1 || digits > syntax.maxDigits() || i < 0 || line.charAt(i) != '{') {
            return null;
        }
        boolean binary = syntax.literal8() && i > 0 && line.charAt(i - 1) == '~';
        long octets = 0;
        for (int d = i + 1; d <= lastDigit; d++) {
            int digit = line.charAt(d) - '0';
            if (octets > (Long.MAX_VALUE - digit) / 10) {
                octets = -1;
                break;
            }
            octets = octets * 10 + digit;
        }
        return new LiteralMarker(binary ? i - 1 : i, octets, nonSync, binary);
    }
}
