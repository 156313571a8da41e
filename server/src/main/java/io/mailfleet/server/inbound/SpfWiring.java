package io.mailfleet.server.inbound;

import io.mailfleet.core.auth.spf.SpfEvaluator;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.smtp.SmtpServices;
import io.mailfleet.protocols.smtp.spf.SpfCheck;
import io.mailfleet.protocols.smtp.spf.SpfPolicy;
import io.mailfleet.server.config.AuthDomainSettings;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.Settings;
import io.mailfleet.server.config.SpfSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Adds the SPF check to the SMTP services when {@code mailfleet.spf} enables it (port 25 only). */
public final class SpfWiring {

    private static final Logger LOG = LoggerFactory.getLogger(SpfWiring.class);

    private SpfWiring() {
    }

    /** {@code smtp} with the SPF check after its MAIL checks, or unchanged when SPF is off. */
    public static SmtpServices withSpf(SmtpServices smtp, SpfSettings spf, Settings s, DnsResolver dns) {
        return withSpf(smtp, spf, new AuthDomainSettings(Map.of()), s, dns, null);
    }

    /** As configured in {@code loaded}: {@code mailfleet.spf} and the per-domain actions; results counted. */
    public static SmtpServices withSpf(SmtpServices smtp, LoadedConfig loaded, Settings s, DnsResolver dns,
                                       AuthenticationCounters counters) {
        return withSpf(smtp, SpfSettings.of(loaded), AuthDomainSettings.of(loaded), s, dns, counters);
    }

    /** As above, from the settings; {@code counters} may be null (nothing counted). */
    public static SmtpServices withSpf(SmtpServices smtp, SpfSettings spf, AuthDomainSettings domains, Settings s,
                                       DnsResolver dns, AuthenticationCounters counters) {
        if (!spf.enabled()) {
            LOG.info("SPF check off (ENABLE_POLICYD_SPF=0 or mailfleet.spf.fail-action = off)");
            return smtp;
        }
        SpfPolicy policy = new SpfPolicy(spf.failAction(), spf.acceptTemperror(),
                s.smtp().trustedNetworks().stream().map(Cidr::parse).toList(), domains.spfActions());
        SpfCheck check = new SpfCheck(new SpfEvaluator(dns, s.hostname()), policy, s.hostname(),
                counters == null ? r -> {
                } : counters::countSpf);
        return smtp.withChecks(smtp.checks().withMail(check));
    }
}
