package io.mailfleet.core.dns;

import org.xbill.DNS.Record;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A bounded LRU of DNS answers that honours their TTLs (positive answers by the RRset TTL, negative
 * ones by the SOA rule of RFC 2308). Bounded both in entries and in record bytes. Thread-safe; the
 * lock is held only for map operations, never across I/O.
 */
final class DnsCache {

    /** {@code validated}: answers of the DNSSEC-validating mode are kept apart from plain ones. */
    record Key(String name, int type, boolean validated) {
        Key(String name, int type) {
            this(name, type, false);
        }
    }

    private record Entry(ValidatedAnswer answer, long expiresAtNanos, long weight) {
    }

    private final int maxEntries;
    private final long maxBytes;
    private final LongSupplier clock;
    private final LinkedHashMap<Key, Entry> map = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    DnsCache(int maxEntries, long maxBytes, LongSupplier nanoClock) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.clock = nanoClock;
    }

    synchronized DnsResult<Record> get(Key key) {
        ValidatedAnswer a = getValidated(key);
        return a == null ? null : a.result();
    }

    synchronized ValidatedAnswer getValidated(Key key) {
        Entry e = map.get(key);
        if (e == null) {
            return null;
        }
        if (clock.getAsLong() - e.expiresAtNanos >= 0) {
            remove(key);
            return null;
        }
        return e.answer;
    }

    synchronized void put(Key key, DnsResult<Record> result, long ttlNanos) {
        put(key, new ValidatedAnswer(result, DnssecStatus.INSECURE, ""), ttlNanos);
    }

    synchronized void put(Key key, ValidatedAnswer answer, long ttlNanos) {
        DnsResult<Record> result = answer.result();
        if (maxEntries == 0 || ttlNanos <= 0) {
            return;
        }
        long weight = 64 + key.name().length();
        for (Record r : result.valuesOrEmpty()) {
            weight += 32 + r.rdataToWireCanonical().length;
        }
        if (weight > maxBytes) {
            return;
        }
        remove(key);
        map.put(key, new Entry(answer, clock.getAsLong() + ttlNanos, weight));
        bytes += weight;
        Iterator<Map.Entry<Key, Entry>> eldest = map.entrySet().iterator();
        while ((map.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= eldest.next().getValue().weight;
            eldest.remove();
        }
    }

    synchronized int size() {
        return map.size();
    }

    private void remove(Key key) {
        Entry old = map.remove(key);
        if (old != null) {
            bytes -= old.weight;
        }
    }
}
