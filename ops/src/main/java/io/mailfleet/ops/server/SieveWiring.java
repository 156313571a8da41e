package io.mailfleet.ops.server;

import io.mailfleet.cluster.queue.SieveSettings;
import io.mailfleet.cluster.sieve.SieveQuota;
import io.mailfleet.core.sieve.SieveLimits;
import io.mailfleet.ops.config.Settings;

/** Maps the validated Sieve, spam and docker-mailserver settings onto the cluster's Sieve settings. */
final class SieveWiring {

    private SieveWiring() {
    }

    static SieveSettings delivery(Settings s) {
        return new SieveSettings(s.sieve().enabled(), s.dmsConfigDir().orElse(null), s.spam().moveToJunk(),
                s.spam().markAsRead(), s.spam().subject(), SieveLimits.defaults());
    }

    static SieveQuota quota(Settings s) {
        return new SieveQuota(s.sieve().maxScripts(), s.sieve().maxScriptBytes());
    }
}
