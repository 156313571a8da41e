package io.mailfleet.cluster.queue;

import java.security.SecureRandom;

/**
 * Queue ids: 16 characters of Crockford base32 from 48 bits of milliseconds and 32 random bits, so
 * they sort roughly by acceptance time, are unique across nodes without coordination, and are safe
 * in logs and file names.
 */
public final class QueueIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private QueueIds() {
    }

    public static String next() {
        long time = System.currentTimeMillis() & 0xFFFF_FFFF_FFFFL;
        long rnd = RANDOM.nextInt() & 0xFFFF_FFFFL;
        char[] out = new char[16];
        // 10 chars of time (50 bits), 6 chars of randomness (30 bits).
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        for (int i = 15; i >= 10; i--) {
            out[i] = ALPHABET[(int) (rnd & 31)];
            rnd >>>= 5;
        }
        return new String(out);
    }

    /** The partition owning a queue id. */
    public static int partitionOf(String queueId, int partitions) {
        return Math.floorMod(queueId.hashCode(), partitions);
    }
}
