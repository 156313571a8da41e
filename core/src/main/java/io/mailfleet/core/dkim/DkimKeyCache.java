package io.mailfleet.core.dkim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded keys of recently seen key records, so that a busy signer's base64 key is turned into a
 * key object once rather than for every message. Keyed by the exact record text (and the algorithm it
 * is read for): a changed or rotated record is a new entry, so this cache never outlives the DNS TTL
 * the resolver applies to the text itself. A bounded LRU; thread-safe, the lock is held only for the
 * map operations, never while a key is decoded.
 */
final class DkimKeyCache {

    /** How many decoded records a verifier keeps by default. */
    static final int DEFAULT_MAX_ENTRIES = 1024;

    private record Key(String record, DkimAlgorithm algorithm) {
    }

    private final int maxEntries;
    private final Map<Key, DkimKeys.KeyRecord> map;

    DkimKeyCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.map = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, DkimKeys.KeyRecord> eldest) {
                return size() > DkimKeyCache.this.maxEntries;
            }
        };
    }

    /**
     * The key of {@code record} for {@code algorithm}, decoded on the first sight of that exact text.
     * Records that do not parse are not kept: the error names {@code name}, and it is not the hot path.
     */
    DkimKeys.KeyRecord get(String record, DkimAlgorithm algorithm, String name) throws DkimException {
        Key key = new Key(record, algorithm);
        synchronized (map) {
            DkimKeys.KeyRecord known = map.get(key);
            if (known != null) {
                return known;
            }
        }
        DkimKeys.KeyRecord parsed = DkimKeys.parseKeyRecord(record, algorithm, name);
        synchronized (map) {
            // Another thread may have decoded the same text meanwhile: every caller gets the first one.
            DkimKeys.KeyRecord raced = map.putIfAbsent(key, parsed);
            return raced != null ? raced : parsed;
        }
    }

    /** How many records are kept now. */
    int size() {
        synchronized (map) {
            return map.size();
        }
    }
}
