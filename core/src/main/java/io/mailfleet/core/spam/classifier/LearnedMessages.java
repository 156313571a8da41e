package io.mailfleet.core.spam.classifier;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Which messages a model learned and as what (Rspamd's learn cache, sa-learn's seen database): the
 * digests of the last {@code capacity} messages learned, oldest overwritten first. A message is known
 * by the digest of its hashed features, as Rspamd's learn cache hashes a message's tokens: what must not
 * be counted twice is exactly those features, a Message-ID may be missing, reused or forged, and a copy
 * in another folder (IMAP COPY/MOVE keep the stored bytes) is the same message.
 * Immutable: remembering returns a new record (the entity's state may be serialized for a snapshot
 * while it goes on learning). Memory: 17 octets per remembered message, allocated at the first one.
 *
 * @param digests two longs (the first 128 bits of a SHA-256) per slot
 * @param kinds   per slot: {@link #EMPTY}, {@link #SPAM} or {@link #HAM}
 * @param next    the slot the next message is written to
 */
public record LearnedMessages(long[] digests, byte[] kinds, int next) {

    static final byte EMPTY = 0;
    static final byte SPAM = 1;
    static final byte HAM = 2;

    private static final long[] NO_DIGESTS = new long[0];
    private static final byte[] NO_KINDS = new byte[0];

    /** A record of nothing, sized at the first message remembered. */
    public static LearnedMessages empty() {
        return new LearnedMessages(NO_DIGESTS, NO_KINDS, 0);
    }

    /** The digest of a message's features: 128 bits of the SHA-256 of the distinct features in ascending order. */
    public static long[] digest(int[] features) {
        int[] sorted = features.clone();
        Arrays.sort(sorted);
        ByteBuffer b = ByteBuffer.allocate(sorted.length * 4);
        int last = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != last) {
                b.putInt(sorted[i]);
            }
            last = sorted[i];
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(b.array(), 0, b.position());
            ByteBuffer d = ByteBuffer.wrap(sha.digest());
            return new long[] {d.getLong(), d.getLong()};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** How the message with {@code digest} was learned: {@code TRUE} spam, {@code FALSE} ham, null not remembered. */
    public Boolean learnedAs(long[] digest) {
        int slot = slotOf(digest);
        return slot < 0 ? null : kinds[slot] == SPAM;
    }

    /**
     * This record with the message of {@code digest} remembered as spam or ham, as the newest entry (an
     * earlier entry of it moves there), in a record of {@code capacity} slots; 0 remembers nothing.
     */
    public LearnedMessages remember(long[] digest, boolean spam, int capacity) {
        if (capacity <= 0) {
            return empty();
        }
        LearnedMessages r = resized(capacity);
        long[] d = r.digests == digests ? digests.clone() : r.digests;
        byte[] k = r.kinds == kinds ? kinds.clone() : r.kinds;
        int old = r.slotOf(digest);
        if (old >= 0) {
            // relearned: the entries after it move up one slot and it takes the newest place
            int last = Math.floorMod(r.next - 1, capacity);
            for (int i = old; i != last; i = (i + 1) % capacity) {
                int j = (i + 1) % capacity;
                d[2 * i] = d[2 * j];
                d[2 * i + 1] = d[2 * j + 1];
                k[i] = k[j];
            }
            set(d, k, last, digest, spam);
            return new LearnedMessages(d, k, r.next);
        }
        set(d, k, r.next, digest, spam);
        return new LearnedMessages(d, k, (r.next + 1) % capacity);
    }

    private static void set(long[] d, byte[] k, int slot, long[] digest, boolean spam) {
        d[2 * slot] = digest[0];
        d[2 * slot + 1] = digest[1];
        k[slot] = spam ? SPAM : HAM;
    }

    /** The number of messages remembered. */
    public int size() {
        int n = 0;
        for (byte k : kinds) {
            if (k != EMPTY) {
                n++;
            }
        }
        return n;
    }

    /** The slots' number. */
    public int capacity() {
        return kinds.length;
    }

    private int slotOf(long[] digest) {
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] != EMPTY && digests[2 * i] == digest[0] && digests[2 * i + 1] == digest[1]) {
                return i;
            }
        }
        return -1;
    }

    /** This record in {@code capacity} slots, keeping the newest entries when it shrinks (the configured size changed). */
    private LearnedMessages resized(int capacity) {
        if (capacity == kinds.length) {
            return this;
        }
        long[] d = new long[2 * capacity];
        byte[] k = new byte[capacity];
        int n = 0;
        // newest first, so a smaller record keeps the newest; then written back oldest first
        int[] order = new int[kinds.length];
        int count = 0;
        for (int i = 1; i <= kinds.length; i++) {
            int slot = Math.floorMod(next - i, kinds.length);
            if (kinds[slot] != EMPTY && count < capacity) {
                order[count++] = slot;
            }
        }
        for (int i = count - 1; i >= 0; i--) {
            int slot = order[i];
            d[2 * n] = digests[2 * slot];
            d[2 * n + 1] = digests[2 * slot + 1];
            k[n] = kinds[slot];
            n++;
        }
        return new LearnedMessages(d, k, n % capacity);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearnedMessages m && Arrays.equals(digests, m.digests) && Arrays.equals(kinds, m.kinds)
                && next == m.next;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(digests) + Arrays.hashCode(kinds) + next;
    }

    @Override
    public String toString() {
        return "LearnedMessages[remembered=" + size() + ", capacity=" + capacity() + "]";
    }
}
