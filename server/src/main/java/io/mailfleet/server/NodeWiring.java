package io.mailfleet.server;

import io.mailfleet.cluster.node.NodeOptions;
import io.mailfleet.cluster.queue.SieveSettings;
import io.mailfleet.cluster.sieve.SieveQuota;
import io.mailfleet.core.sieve.SieveLimits;
import io.mailfleet.server.config.ClusterSettings;
import io.mailfleet.server.config.Settings;

/** Maps the validated settings onto what the cluster node starts its services with. */
final class NodeWiring {

    private NodeWiring() {
    }

    static NodeOptions options(Settings s) {
        return new NodeOptions(sieve(s), new SieveQuota(s.sieve().maxScripts(), s.sieve().maxScriptBytes()),
                s.cluster().discovery() == ClusterSettings.Discovery.KUBERNETES, s.queuePartitions());
    }

    private static SieveSettings sieve(Settings s) {
        return new SieveSettings(s.sieve().enabled(), s.dmsConfigDir().orElse(null), s.spam().moveToJunk(),
                s.spam().markAsRead(), s.spam().subject(), SieveLimits.defaults());
    }
}
