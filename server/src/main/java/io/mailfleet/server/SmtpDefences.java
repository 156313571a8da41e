package io.mailfleet.server;

import io.mailfleet.cluster.greylist.ClusterGreylist;
import io.mailfleet.core.ratelimit.RateLimiter;
import io.mailfleet.server.config.GreylistSettings;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.smtp.ratelimit.RateLimitChecks;
import io.mailfleet.protocols.smtp.ratelimit.SmtpRateLimits;
import io.mailfleet.server.config.Settings;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.greylist.GreylistCheck;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the cluster-wide SMTP defences that are switched on and returns the checks of each SMTP listener. */
final class SmtpDefences {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpDefences.class);

    private SmtpDefences() {
    }

    static SmtpListenerChecks start(ActorSystem<?> system, Settings s, RateLimiter rates) {
        SmtpChecks mx = SmtpChecks.NONE;
        SmtpChecks submission = SmtpChecks.NONE;
        GreylistSettings g = s.greylist();
        if (g.enabled()) {
            g.whitelist().skippedClientEntries().forEach(e ->
                    LOG.warn("greylist: whitelist_clients.local entry '{}' is not an address or network; skipped", e));
            mx = mx.withRcpt(new GreylistCheck(ClusterGreylist.start(system, g.policy()), g.whitelist(), g.text()));
            LOG.info("greylisting on port 25: delay {}, max age {}, auto-whitelist after {} passed retries",
                    g.policy().delay(), g.policy().maxAge(), g.policy().autoWhitelistClients());
        }
        SmtpRateLimits limits = s.rateLimits().limits();
        if (limits.any()) {
            RateLimitChecks checks = new RateLimitChecks(rates, limits,
                    s.smtp().effectiveTrustedNetworks().stream().map(Cidr::parse).toList(), s.hostname());
            mx = checks.addTo(mx, true);
            submission = checks.addTo(submission, false);
            LOG.info("SMTP rate limits (cluster-wide): {}", limits);
        }
        return new SmtpListenerChecks(mx, submission);
    }
}
