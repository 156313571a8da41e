package io.mailfleet.core.auth.dmarc.report;

import java.util.List;
import java.util.Objects;

/**
 * What one evaluation contributes to a report: the RFC 7489 appendix C {@code record} without its count.
 * Equal rows are merged by counting them.
 *
 * @param sourceIp     the client's address
 * @param headerFrom   the RFC5322.From domain
 * @param envelopeFrom the MAIL FROM domain ("" for the null sender)
 * @param disposition  none, quarantine or reject: what this server did
 * @param dkim         pass or fail: the DMARC DKIM alignment result
 * @param spf          pass or fail: the DMARC SPF alignment result
 * @param dkimAuth     every verified DKIM signature
 * @param spfDomain    the SPF-checked domain, or "" when SPF was not checked
 * @param spfScope     mfrom or helo
 * @param spfResult    the RFC 7208 result, or ""
 */
public record DmarcRow(String sourceIp, String headerFrom, String envelopeFrom, String disposition, String dkim,
                       String spf, List<DmarcDkimAuth> dkimAuth, String spfDomain, String spfScope,
                       String spfResult) {

    public DmarcRow {
        Objects.requireNonNull(sourceIp, "source ip");
        Objects.requireNonNull(headerFrom, "header from");
        envelopeFrom = envelopeFrom == null ? "" : envelopeFrom;
        dkimAuth = List.copyOf(dkimAuth);
        spfDomain = spfDomain == null ? "" : spfDomain;
        spfScope = spfScope == null ? "mfrom" : spfScope;
        spfResult = spfResult == null ? "" : spfResult;
    }
}
