package io.mailfleet.server;

import io.mailfleet.cluster.postscreen.ClusterPassCache;
import io.mailfleet.protocols.smtp.postscreen.PassCache;
import io.mailfleet.protocols.smtp.postscreen.PostscreenTest;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;

/** The protocols' {@link PassCache} on the cluster's replicated one: a pass on any node counts on every node. */
public final class ClusterPostscreenPasses implements PassCache {

    private final ClusterPassCache cache;

    public ClusterPostscreenPasses(ClusterPassCache cache) {
        this.cache = cache;
    }

    /**
     * {@code "dnsbl 192.0.2.7"}: one entry per test and address; the pregreet test's pass of an IPv6 client
     * covers its /64 ({@code "pregreet 2001:db8::/64"}), one party's network, so hopping addresses in it
     * neither repeats the test nor fills the cache. A DNSBL pass stays per address: block lists may list
     * single IPv6 addresses, and a clean neighbour must not carry a listed one past the look-up.
     */
    static String key(InetAddress client, PostscreenTest test) {
        String who = test == PostscreenTest.PREGREET && client instanceof java.net.Inet6Address
                ? io.mailfleet.core.ban.IpNetwork.bucketOf(client) : client.getHostAddress();
        return test.name().toLowerCase(Locale.ROOT) + " " + who;
    }

    @Override
    public boolean passed(InetAddress client, PostscreenTest test) {
        return cache.passed(key(client, test));
    }

    @Override
    public void remember(InetAddress client, PostscreenTest test, Duration ttl) {
        cache.remember(key(client, test), ttl);
    }
}
