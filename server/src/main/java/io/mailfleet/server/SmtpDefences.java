package io.mailfleet.server;

import io.mailfleet.cluster.greylist.ClusterGreylist;
import io.mailfleet.cluster.postscreen.ClusterPassCache;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dnsbl.DnsblEvaluator;
import io.mailfleet.core.ratelimit.RateLimiter;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.smtp.check.RefusalCounter;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.dnsbl.DnsblCheck;
import io.mailfleet.protocols.smtp.greylist.GreylistCheck;
import io.mailfleet.protocols.smtp.greylist.GreylistDataCheck;
import io.mailfleet.core.dkim.DkimVerifier;
import java.time.Clock;
import io.mailfleet.protocols.smtp.postscreen.PassCache;
import io.mailfleet.protocols.smtp.ratelimit.RateLimitChecks;
import io.mailfleet.protocols.smtp.ratelimit.SmtpRateLimits;
import io.mailfleet.server.config.DnsblConfig;
import io.mailfleet.server.config.GreylistSettings;
import io.mailfleet.server.config.Settings;
import io.mailfleet.server.metrics.SmtpRefusals;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Starts the cluster-wide SMTP defences that are switched on and returns the checks of each SMTP
 * listener, their refusals counted in {@link SmtpRefusals}.
 */
final class SmtpDefences {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpDefences.class);

    /** Passes the cluster-wide postscreen cache holds at most (expired ones are pruned each minute). */
    static final int PASS_CACHE_ENTRIES = 100_000;

    private SmtpDefences() {
    }

    static SmtpListenerChecks start(ActorSystem<?> system, Settings s, RateLimiter rates, DnsblConfig dnsbl,
                                    DnsResolver dns) {
        SmtpRefusals refusals = SmtpRefusals.get(system);
        List<Cidr> trusted = s.smtp().effectiveTrustedNetworks().stream().map(Cidr::parse).toList();
        SmtpChecks mx = SmtpChecks.NONE;
        SmtpChecks submission = SmtpChecks.NONE;
        PassCache passes = PassCache.NONE;
        java.util.function.Consumer<java.net.InetAddress> onGreetWait = client -> { };
        if (s.postscreen().enabled() || dnsbl.enabled()) {
            passes = new ClusterPostscreenPasses(ClusterPassCache.start(system, PASS_CACHE_ENTRIES));
        }
        if (dnsbl.enabled()) {
            // before the rate limits' connect check: a listed client is refused without counting
            DnsblCheck check = new DnsblCheck(new DnsblEvaluator(dns, dnsbl.settings().sites()), dnsbl.settings(),
                    passes, trusted, refusals);
            mx = mx.withConnect(check);
            // with the pregreet test on, the look-ups start when the wait does, as postscreen runs both at once
            onGreetWait = check::prefetch;
            LOG.info("DNSBL test on port 25 (ENABLE_DNSBL): {} with threshold {}, action {}, pass remembered {}",
                    dnsbl.settings().sites(), dnsbl.settings().threshold(), dnsbl.settings().action(),
                    dnsbl.settings().passTtl());
        }
        GreylistSettings g = s.greylist();
        if (g.enabled()) {
            g.whitelist().skippedClientEntries().forEach(e ->
                    LOG.warn("greylist: whitelist_clients.local entry '{}' is not an address or network; skipped", e));
            ClusterGreylist greylist = ClusterGreylist.start(system, g.policy());
            mx = mx.withRcpt(RefusalCounter.counting(new GreylistCheck(greylist, g.whitelist(), g.knownGood(), g.text()),
                    SmtpRefusals.GREYLIST, refusals));
            if (!g.knownGood().isEmpty()) {
                // known-good senders are accepted at RCPT and decided on their DKIM signature at the end of data
                mx = mx.withData(new GreylistDataCheck(greylist, g.knownGood(),
                        DkimVerifier.using(dns::txt, Clock.systemUTC()), g.text(), refusals));
            }
            LOG.info("greylisting on port 25: delay {}, max age {}, auto-whitelist after {} passed retries{}",
                    g.policy().delay(), g.policy().maxAge(), g.policy().autoWhitelistClients(),
                    g.knownGood().isEmpty() ? "" : ", skipped by DKIM-passing mail of " + g.knownGood());
        }
        SmtpRateLimits limits = s.rateLimits().limits();
        if (limits.any()) {
            RateLimitChecks checks = new RateLimitChecks(rates, limits, trusted, s.hostname());
            mx = mx.then(RefusalCounter.counting(checks.addTo(SmtpChecks.NONE, true), SmtpRefusals.RATE_LIMIT, refusals));
            submission = submission.then(RefusalCounter.counting(checks.addTo(SmtpChecks.NONE, false),
                    SmtpRefusals.RATE_LIMIT, refusals));
            LOG.info("SMTP rate limits (cluster-wide): {}", limits);
        }
        return new SmtpListenerChecks(mx, submission, passes, refusals, onGreetWait);
    }
}
