package io.mailfleet.core.ban;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable lookup table of banned networks for the accept path: one hash lookup per distinct
 * prefix length present, no locks, no allocation beyond one masked copy of the address per lookup.
 */
public final class BanIndex {

    private static final BanIndex EMPTY = new BanIndex(new TreeMap<>(), new TreeMap<>());

    /** Per prefix length (longest first), masked network bytes → latest expiry in epoch millis. */
    private final TreeMap<Integer, Map<Key, Long>> v4;
    private final TreeMap<Integer, Map<Key, Long>> v6;

    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private BanIndex(TreeMap<Integer, Map<Key, Long>> v4, TreeMap<Integer, Map<Key, Long>> v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    public static BanIndex empty() {
        return EMPTY;
    }

    /** Builds the index from bans; expired ones may be included, they are ignored at lookup. */
    public static BanIndex of(Collection<Ban> bans) {
        TreeMap<Integer, Map<Key, Long>> v4 = new TreeMap<>(java.util.Comparator.reverseOrder());
        TreeMap<Integer, Map<Key, Long>> v6 = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (Ban b : bans) {
            IpNetwork n = IpNetwork.parse(b.network());
            (n.isIpv4() ? v4 : v6).computeIfAbsent(n.prefix(), p -> new HashMap<>())
                    .merge(new Key(n.networkBytes()), ceilMillis(b.until()), Math::max);
        }
        return new BanIndex(v4, v6);
    }

    /** The expiry (epoch millis) of the longest-lasting ban covering {@code address}, or 0 when none. */
    public long bannedUntil(InetAddress address) {
        byte[] a = address.getAddress();
        TreeMap<Integer, Map<Key, Long>> table = a.length == 4 ? v4 : v6;
        long until = 0;
        for (Map.Entry<Integer, Map<Key, Long>> e : table.entrySet()) {
            Long u = e.getValue().get(new Key(IpNetwork.mask(a, e.getKey())));
            if (u != null && u > until) {
                until = u;
            }
        }
        return until;
    }

    /** Whether a ban covering {@code address} is active at {@code nowMillis}. */
    public boolean isBanned(InetAddress address, long nowMillis) {
        return bannedUntil(address) > nowMillis;
    }

    /*
     * Rounded up: Ban.activeAt compares at sub-millisecond precision, and truncating here made the
     * index call a ban over up to a millisecond before the ban list did (a test saw both at once).
     */
    private static long ceilMillis(java.time.Instant until) {
        return until.toEpochMilli() + (until.getNano() % 1_000_000 == 0 ? 0 : 1);
    }
}
