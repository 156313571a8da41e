package io.mailfleet.persistence.blob;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Time-ordered random blob ids: 64 bits of epoch milliseconds followed by 64 random bits, each half
 * written as 13 characters of lower-case base32hex so that ids sort by creation time.
 */
final class BlobIds {

    static final int LENGTH = 26;
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuv".toCharArray();
    private static final Pattern VALID = Pattern.compile("[0-9a-v]{26}");

    private BlobIds() {
    }

    static String next(long epochMillis) {
        char[] out = new char[LENGTH];
        encode(epochMillis, out, 0);
        // Ids must be unique, not secret: a per-thread generator avoids the lock of a shared SecureRandom
        // that every concurrent message would otherwise queue on.
        encode(ThreadLocalRandom.current().nextLong(), out, 13);
        return new String(out);
    }

    static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** The creation time a valid id carries (the store's clock when its writer was created). */
    static long epochMillis(String id) {
        long value = 0;
        for (int i = 0; i < 13; i++) {
            value = value << 5 | Character.digit(id.charAt(i), 32);
        }
        return value;
    }

    /**
     * Two directory levels taken from the time half of the id: the first changes every ~12 days, the
     * second every ~17 minutes. Commits close in time land in one directory, so a group commit
     * usually needs a single directory fsync.
     */
    static String[] directories(String id) {
        return new String[] {id.substring(5, 7), id.substring(7, 9)};
    }

    private static void encode(long value, char[] out, int offset) {
        for (int i = 12; i >= 0; i--) {
            out[offset + i] = ALPHABET[(int) (value & 31)];
            value >>>= 5;
        }
    }
}
