package io.mailfleet.server.inbound;

import io.mailfleet.core.auth.dmarc.DmarcEvaluator;
import io.mailfleet.core.auth.dmarc.PublicSuffixList;
import io.mailfleet.core.auth.dmarc.report.DmarcFailureReporter;
import io.mailfleet.core.auth.dmarc.report.DmarcReportStore;
import io.mailfleet.core.dkim.DkimVerifier;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.protocols.smtp.SmtpServices;
import io.mailfleet.protocols.smtp.auth.DmarcPolicy;
import io.mailfleet.protocols.smtp.auth.MessageAuthentication;
import io.mailfleet.protocols.smtp.auth.RecipientDomainRules;
import io.mailfleet.core.auth.dmarc.ArcOverride;
import io.mailfleet.server.config.ArcSettings;
import io.mailfleet.server.config.AuthDomainSettings;
import io.mailfleet.server.config.DkimVerifySettings;
import io.mailfleet.server.config.DmarcSettings;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.Settings;
import io.mailfleet.server.inbound.dmarcrpt.DmarcReportWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Adds the end-of-data authentication check (DKIM verification, DMARC and Authentication-Results) to the
 * SMTP services when {@code mailfleet.dkim.verify} enables it (port 25 only); DMARC per {@code mailfleet.dmarc},
 * its evaluations recorded in the given store for aggregate reports.
 */
public final class AuthenticationWiring {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationWiring.class);
    /** Room above the header limit for the fields we add in front (Received, Received-SPF). */
    private static final int OWN_FIELDS = 8 * 1024;

    private AuthenticationWiring() {
    }

    /** {@code smtp} with the authentication check after its end-of-data checks, or unchanged when off. */
    public static SmtpServices withAuthentication(SmtpServices smtp, DkimVerifySettings dkim, DmarcSettings dmarc,
                                                  Settings s, DnsResolver dns, AuthenticationCounters counters,
                                                  DmarcReportStore reports) {
        return withAuthentication(smtp, dkim, dmarc, new ArcSettings(false, List.of(), false), s, dns, counters,
                reports);
    }

    /** As above, with ARC chain validation and trusted sealers per {@code mailfleet.arc}. */
    public static SmtpServices withAuthentication(SmtpServices smtp, DkimVerifySettings dkim, DmarcSettings dmarc,
                                                  ArcSettings arc, Settings s, DnsResolver dns,
                                                  AuthenticationCounters counters, DmarcReportStore reports) {
        return withAuthentication(smtp, dkim, dmarc, arc, new AuthDomainSettings(Map.of()), s, dns, counters,
                reports, DmarcFailureReporter.none());
    }

    /**
     * Everything as {@code loaded} configures it: {@code mailfleet.dkim.verify}, {@code mailfleet.dmarc},
     * {@code mailfleet.arc} and the per-domain {@code mailfleet.auth.domains}; evaluations recorded and
     * failures reported through {@code reports}.
     */
    public static SmtpServices withAuthentication(SmtpServices smtp, LoadedConfig loaded, Settings s, DnsResolver dns,
                                                  AuthenticationCounters counters, DmarcReportWiring reports) {
        return withAuthentication(smtp, DkimVerifySettings.of(loaded), DmarcSettings.of(loaded), ArcSettings.of(loaded),
                AuthDomainSettings.of(loaded), s, dns, counters, reports.store(), reports.failures());
    }

    /** As above, from the settings. */
    public static SmtpServices withAuthentication(SmtpServices smtp, DkimVerifySettings dkim, DmarcSettings dmarc,
                                                  ArcSettings arc, AuthDomainSettings domains, Settings s,
                                                  DnsResolver dns, AuthenticationCounters counters,
                                                  DmarcReportStore reports, DmarcFailureReporter failures) {
        if (!dkim.enabled()) {
            LOG.info("DKIM verification off (ENABLE_OPENDKIM=0 or mailfleet.dkim.verify.enabled = false)"
                    + (dmarc.enabled() ? "; DMARC, which needs it, is off too" : ""));
            return smtp;
        }
        DmarcPolicy policy = null;
        if (dmarc.enabled()) {
            policy = new DmarcPolicy(new DmarcEvaluator(dns, PublicSuffixList.bundled(),
                    () -> ThreadLocalRandom.current().nextInt(100)), dmarc.action(), reports, failures);
        } else {
            LOG.info("DMARC off (ENABLE_OPENDMARC=0 or mailfleet.dmarc.enabled = false)");
        }
        MessageAuthentication check = new MessageAuthentication(DkimVerifier.using(dns::txt, Clock.systemUTC()),
                dkim.maxSignatures(), smtp.headerLimits().maxHeaderBytes() + OWN_FIELDS, s.hostname(),
                counters::count, policy, arc.enabled(), new ArcOverride(arc.trustedSealers()), rules(domains));
        if (arc.enabled()) {
            LOG.info("ARC validation on; trusted sealers: {}", arc.trustedSealers().isEmpty() ? "none"
                    : String.join(", ", arc.trustedSealers()));
        }
        return smtp.withChecks(smtp.checks().withData(check));
    }

    /** The per-domain DMARC actions and trusted sealers of {@code mailfleet.auth.domains}. */
    static RecipientDomainRules rules(AuthDomainSettings domains) {
        Map<String, ArcOverride> sealers = new TreeMap<>();
        domains.trustedSealers().forEach((d, list) -> sealers.put(d, new ArcOverride(list)));
        if (!domains.domains().isEmpty()) {
            LOG.info("inbound authentication settings of their own for {}", String.join(", ",
                    domains.domains().keySet()));
        }
        return new RecipientDomainRules(domains.dmarcActions(), sealers);
    }
}
