package io.mailfleet.core.spam.classifier;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Orthogonal sparse bigrams (OSB, as Rspamd and CRM114 use): every word alone and paired with each of
 * the next {@link #WINDOW} words, the distance part of the pair, hashed into a table of
 * {@link #TABLE_SIZE} buckets. A model is two counters, one regression weight and one squared-gradient sum
 * per bucket, so its size is fixed whatever it learns ({@value #TABLE_SIZE} buckets: 4 MB once it learned both kinds);
 * collisions cost a little accuracy, never memory (four times the buckets gained about a point of
 * recall at 0.1 % false positives in cross-validation on the SpamAssassin corpus, for 12 MB a model).
 */
public final class Features {

    /** Buckets of a model's table (a power of two). */
    public static final int TABLE_SIZE = 1 << 18;
    /** How far ahead a word is paired. */
    public static final int WINDOW = 4;
    /** Distinct features counted from one message. */
    public static final int MAX_FEATURES = 8000;

    private Features() {
    }

    /** The distinct buckets {@code message}'s text hits, ascending. */
    public static int[] of(byte[] message) {
        return ofTokens(Tokens.of(MessageText.of(message)));
    }

    /**
     * As {@link #of(byte[])}, for a message already parsed: {@code message} holds its first octets (or all of
     * them), {@code summary} the parse of the whole of it.
     */
    public static int[] of(byte[] message, io.mailfleet.core.mime.MessageSummary summary) {
        return ofTokens(Tokens.of(MessageText.of(message, summary)));
    }

    /** The distinct buckets the words hit, ascending. */
    public static int[] ofTokens(List<String> words) {
        return ofTokens(words, TABLE_SIZE, WINDOW);
    }

    /** The distinct buckets of a table of {@code tableSize} (a power of two) the words hit with OSB pairs up to {@code window} apart. */
    static int[] ofTokens(List<String> words, int tableSize, int window) {
        long[] h = new long[words.size()];
        for (int i = 0; i < h.length; i++) {
            h[i] = fnv(words.get(i));
        }
        int[] out = new int[Math.min(MAX_FEATURES * 2, h.length * (window + 1))];
        int n = 0;
        for (int i = 0; i < h.length && n < out.length; i++) {
            out[n++] = bucket(h[i], tableSize);
            for (int d = 1; d <= window && i + d < h.length && n < out.length; d++) {
                out[n++] = bucket(h[i] * 0x9E3779B97F4A7C15L + h[i + d] * (2 * d + 1) + d, tableSize);
            }
        }
        return distinct(out, n, tableSize);
    }

    /**
     * The buckets among the first {@code n} of {@code buckets} that lie in the table, each once, ascending, at
     * most {@link #MAX_FEATURES} (a model store applies it to what callers send).
     */
    public static int[] distinct(int[] buckets, int n) {
        return distinct(buckets, n, TABLE_SIZE);
    }

    private static int[] distinct(int[] buckets, int n, int tableSize) {
        // one bit per bucket rather than a sort or a hash set: a boxed stream's distinct() was most of the
        // scorer's cost per message in the bench profile
        long[] seen = new long[Math.max(1, tableSize >>> 6)];
        for (int i = 0; i < n; i++) {
            int b = buckets[i];
            if (b >= 0 && b < tableSize) {
                seen[b >>> 6] |= 1L << b;
            }
        }
        int[] out = new int[Math.min(n, MAX_FEATURES)];
        int k = 0;
        for (int w = 0; w < seen.length && k < out.length; w++) {
            for (long bits = seen[w]; bits != 0 && k < out.length; bits &= bits - 1) {
                out[k++] = (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        return k == out.length ? out : Arrays.copyOf(out, k);
    }

    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The bucket of a 64-bit hash, after a finalizer so every bit counts. */
    private static int bucket(long h, int tableSize) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) (h & (tableSize - 1));
    }
}
