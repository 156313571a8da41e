package io.mailfleet.server.inbound.dmarcrpt;

import io.mailfleet.core.auth.dmarc.PublicSuffixList;
import io.mailfleet.core.auth.dmarc.report.DmarcRua;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The external-destination verification of RFC 7489 section 7.1, for aggregate and failure reports alike:
 * an address in another organizational domain than the policy domain's takes reports only when
 * {@code <policy-domain>._report._dmarc.<address domain>} publishes {@code v=DMARC1}.
 */
final class ReportDestinations {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.dmarc-reports");

    private final DnsResolver dns;
    private final PublicSuffixList psl;

    ReportDestinations(DnsResolver dns, PublicSuffixList psl) {
        this.dns = dns;
        this.psl = psl;
    }

    /** Whether {@code to} may get reports about {@code policyDomain}; a refusal is logged with its reason. */
    CompletionStage<Boolean> authorized(String policyDomain, DmarcRua to, String kind) {
        String target = to.domain();
        if (psl.organizationalDomain(target).equals(psl.organizationalDomain(policyDomain))) {
            return CompletableFuture.completedFuture(true);
        }
        String name = policyDomain + "._report._dmarc." + target;
        return dns.txt(name).thenApply(r -> {
            boolean ok = r instanceof DnsResult.Found<String> f && f.values().stream()
                    .anyMatch(t -> t.split(";", 2)[0].replaceAll("\\s", "").equalsIgnoreCase("v=DMARC1"));
            if (!ok) {
                LOG.info("DMARC {} for {} not sent to <{}>: {} does not authorize it (RFC 7489 section 7.1: {})",
                        kind, policyDomain, to.address(), target, r instanceof DnsResult.TempError ? "look-up failed"
                                : "no v=DMARC1 at " + name);
            }
            return ok;
        });
    }
}
