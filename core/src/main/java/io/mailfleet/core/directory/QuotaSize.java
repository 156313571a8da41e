package io.mailfleet.core.directory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-mailserver quota sizes: {@code <n>B|k|M|G|T} with binary units (k = KiB, M = MiB, ...) or
 * {@code 0} for unlimited, as accepted by {@code setup quota set} and {@code dovecot-quotas.cf}.
 */
public final class QuotaSize {

    /** The exact check {@code setup quota set} applies. */
    private static final Pattern FORMAT = Pattern.compile("([0-9]+)(B|k|M|G|T)|0");
    private static final String UNITS = "BkMGT";

    private QuotaSize() {
    }

    /**
     * Parses a quota string to bytes; {@code 0} means unlimited.
     *
     * @throws IllegalArgumentException "Invalid quota format: 'value'" for anything else, including
     *                                  values beyond {@link Long#MAX_VALUE} bytes
     */
    public static long parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("Invalid quota format: no value given");
        }
        String s = value.strip();
        Matcher m = FORMAT.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("Invalid quota format: '" + value
                    + "' (expected a number followed by B, k, M, G or T, or 0 for unlimited)");
        }
        if (m.group(1) == null) {
            return 0;
        }
        int shift = 10 * UNITS.indexOf(m.group(2).charAt(0));
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid quota format: '" + value + "' is too large");
        }
    }

    /** Whether {@link #parse} accepts the value. */
    public static boolean isValid(String value) {
        try {
            parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Formats bytes in the shortest exact form: {@code 0}, {@code 1k}, {@code 1536k}, {@code 1500B}.
     *
     * @throws IllegalArgumentException for a negative size
     */
    public static String format(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("Invalid quota size: " + bytes + " bytes is negative");
        }
        if (bytes == 0) {
            return "0";
        }
        int unit = 0;
        long n = bytes;
        while (unit < UNITS.length() - 1 && (n & 1023) == 0) {
            n >>= 10;
            unit++;
        }
        return n + String.valueOf(UNITS.charAt(unit));
    }

    /**
     * Parses a plain byte count such as {@code POSTFIX_MAILBOX_SIZE_LIMIT}; blank means 0 (unlimited),
     * as docker-mailserver treats an empty variable.
     *
     * @throws IllegalArgumentException "Invalid size: 'value'" when it is not a non-negative integer
     */
    public static long parseByteCount(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String s = value.strip();
        if (!s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("Invalid size: '" + value + "' is not a byte count (digits only)");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid size: '" + value + "' is too large");
        }
    }
}
