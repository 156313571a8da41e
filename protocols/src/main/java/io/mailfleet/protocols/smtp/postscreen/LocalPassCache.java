package io.mailfleet.protocols.smtp.postscreen;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A pass cache of this node only (not yet cluster-wide: a client that passed here is tested again on
 * another node). Bounded: when full, expired entries are dropped, and if none expired the new pass is
 * not remembered, so a flood of addresses costs at most {@code maxEntries} entries.
 */
public final class LocalPassCache implements PassCache {

    private final Map<InetAddress, Long> expiries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier clock;

    public LocalPassCache(Duration ttl, int maxEntries) {
        this(ttl, maxEntries, System::nanoTime);
    }

    LocalPassCache(Duration ttl, int maxEntries, LongSupplier clock) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public boolean passed(InetAddress client) {
        Long until = expiries.get(client);
        if (until == null) {
            return false;
        }
        if (until - clock.getAsLong() > 0) {
            return true;
        }
        expiries.remove(client, until);
        return false;
    }

    @Override
    public void remember(InetAddress client) {
        if (ttlNanos == 0) {
            return;
        }
        long now = clock.getAsLong();
        if (expiries.size() >= maxEntries && !expiries.containsKey(client)) {
            for (Iterator<Long> it = expiries.values().iterator(); it.hasNext(); ) {
                if (it.next() - now <= 0) {
                    it.remove();
                }
            }
            if (expiries.size() >= maxEntries) {
                return;
            }
        }
        expiries.put(client, now + ttlNanos);
    }
}
