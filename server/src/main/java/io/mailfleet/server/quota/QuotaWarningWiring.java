package io.mailfleet.server.quota;

import io.mailfleet.cluster.node.ClusterNode;
import io.mailfleet.cluster.quota.QuotaWarnings;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.QuotaWarningSettings;
import io.mailfleet.server.config.Settings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the quota warnings of a node from {@code mailfleet.quotas.warnings} (nothing when they are off). */
public final class QuotaWarningWiring {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.quota");

    private QuotaWarningWiring() {
    }

    public static void start(ActorSystem<?> system, LoadedConfig loaded, ClusterNode node, BlobStore blobs) {
        Settings s = loaded.settings();
        QuotaWarningSettings warnings = QuotaWarningSettings.of(loaded);
        if (!warnings.enabled()) {
            return;
        }
        long defaultQuota = s.quotas().defaultLimit();
        QuotaWarningMail mail = new QuotaWarningMail(warnings, s.postmasterAddress(), s.hostname(), blobs, node.queue(),
                system.dispatchers().lookup(DispatcherSelector.blocking()));
        QuotaWarnings.start(system, account -> node.directory().view().effectiveQuota(account, defaultQuota),
                warnings.percentages(), mail);
        LOG.info("quota warnings at {}% from {}", warnings.percentages(), s.postmasterAddress());
    }
}
