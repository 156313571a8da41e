package io.mailfleet.server.inbound;

import io.mailfleet.core.auth.dmarc.PublicSuffixList;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.spam.uribl.MessageLinks;
import io.mailfleet.core.spam.uribl.UriblEvaluator;
import io.mailfleet.server.config.UrlDnsblSettings;
import io.mailfleet.server.scan.UrlDnsblRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The built-in scorer's URL block lists from their settings, over the node's one resolver. */
final class UrlDnsblWiring {

    private static final Logger LOG = LoggerFactory.getLogger(UrlDnsblWiring.class);

    private UrlDnsblWiring() {
    }

    /** The rule, or null when {@code mailfleet.spam-scorer.url-dnsbl.enabled} is off. */
    static UrlDnsblRule rule(UrlDnsblSettings s, DnsResolver dns) {
        if (!s.enabled()) {
            LOG.info("URL DNS block lists off (MAILFLEET_URL_DNSBL=0)");
            return null;
        }
        LOG.info("URL DNS block lists on: {} (IP links to {}; {} domains per message from its first {} octets, "
                        + "e-mail domains {}, {} domains skipped, time-out {} ms)", s.lists().zones(), s.lists().ipZones(),
                s.limits().maxTargets(), s.limits().maxScanBytes(), s.limits().emails() ? "too" : "not",
                s.skipDomains().size(), s.timeout().toMillis());
        return new UrlDnsblRule(new MessageLinks(s.limits(), PublicSuffixList.bundled(), s.skipDomains()),
                new UriblEvaluator(dns, s.lists(), s.timeout()));
    }
}
