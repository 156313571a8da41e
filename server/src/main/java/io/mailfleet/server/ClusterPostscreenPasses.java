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

    /** {@code "dnsbl 192.0.2.7"}: one entry per test and address. */
    static String key(InetAddress client, PostscreenTest test) {
        return test.name().toLowerCase(Locale.ROOT) + " " + client.getHostAddress();
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
