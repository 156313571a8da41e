package io.mailfleet.server.inbound;

import io.mailfleet.core.auth.spf.SpfEvaluator;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.smtp.SmtpServices;
import io.mailfleet.protocols.smtp.spf.SpfCheck;
import io.mailfleet.protocols.smtp.spf.SpfPolicy;
import io.mailfleet.server.config.Settings;
import io.mailfleet.server.config.SpfSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adds the SPF check to the SMTP services when {@code mailfleet.spf} enables it (port 25 only). */
public final class SpfWiring {

    private static final Logger LOG = LoggerFactory.getLogger(SpfWiring.class);

    private SpfWiring() {
    }

    /** {@code smtp} with the SPF check after its MAIL checks, or unchanged when SPF is off. */
    public static SmtpServices withSpf(SmtpServices smtp, SpfSettings spf, Settings s, DnsResolver dns) {
        if (!spf.enabled()) {
            LOG.info("SPF check off (ENABLE_POLICYD_SPF=0 or mailfleet.spf.fail-action = off)");
            return smtp;
        }
        SpfPolicy policy = new SpfPolicy(spf.failAction(), spf.acceptTemperror(),
                s.smtp().trustedNetworks().stream().map(Cidr::parse).toList());
        SpfCheck check = new SpfCheck(new SpfEvaluator(dns, s.hostname()), policy, s.hostname());
        return smtp.withChecks(smtp.checks().withMail(check));
    }
}
