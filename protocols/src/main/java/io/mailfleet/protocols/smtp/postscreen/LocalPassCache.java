package io.mailfleet.protocols.smtp.postscreen;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A pass cache of this node only (a single node, and the protocol tests; the server uses the
 * cluster-wide one). Bounded: when full, expired entries are dropped, and if none expired the new pass
 * is not remembered, so a flood of addresses costs at most {@code maxEntries} entries.
 */
public final class LocalPassCache implements PassCache {

    private record Key(InetAddress client, PostscreenTest test) {
    }

    private final Map<Key, Long> expiries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final LongSupplier clock;

    public LocalPassCache(int maxEntries) {
        this(maxEntries, System::nanoTime);
    }

    LocalPassCache(int maxEntries, LongSupplier clock) {
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public boolean passed(InetAddress client, PostscreenTest test) {
        Key key = new Key(client, test);
        Long until = expiries.get(key);
        if (until == null) {
            return false;
        }
        if (until - clock.getAsLong() > 0) {
            return true;
        }
        expiries.remove(key, until);
        return false;
    }

    @Override
    public void remember(InetAddress client, PostscreenTest test, Duration ttl) {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        Key key = new Key(client, test);
        long now = clock.getAsLong();
        if (expiries.size() >= maxEntries && !expiries.containsKey(key)) {
            for (Iterator<Long> it = expiries.values().iterator(); it.hasNext(); ) {
                if (it.next() - now <= 0) {
                    it.remove();
                }
            }
            if (expiries.size() >= maxEntries) {
                return;
            }
        }
        expiries.put(key, now + ttl.toNanos());
    }
}
