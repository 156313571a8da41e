package io.mailfleet.protocols.smtp.auth;

import io.mailfleet.core.auth.dmarc.DmarcResult;
import io.mailfleet.core.auth.dmarc.report.DmarcDkimAuth;
import io.mailfleet.core.auth.dmarc.report.DmarcEvaluation;
import io.mailfleet.core.auth.dmarc.report.DmarcRow;
import io.mailfleet.core.auth.results.AuthenticationResults;
import io.mailfleet.protocols.smtp.check.MessageStart;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns one message's authentication results into the evaluation aggregate reports count. */
final class DmarcReportRows {

    private DmarcReportRows() {
    }

    /** The evaluation, or empty when no DMARC record applied (nothing to report to anyone). */
    static Optional<DmarcEvaluation> of(MessageStart start, AuthenticationResults r, long atMillis) {
        DmarcResult d = r.dmarc();
        if (d == null || d.policyDomain() == null || d.fromDomain() == null) {
            return Optional.empty();
        }
        String sender = start.sender() == null ? "" : start.sender();
        String envelopeFrom = sender.lastIndexOf('@') < 0 ? ""
                : sender.substring(sender.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        List<DmarcDkimAuth> dkim = r.dkim().stream()
                .map(k -> new DmarcDkimAuth(k.domain(), k.selector(), k.status().keyword())).toList();
        String spfDomain = "";
        String scope = "mfrom";
        String spfResult = "";
        if (r.spf() != null) {
            String id = r.spf().identity();
            scope = r.spf().heloIdentity() ? "helo" : "mfrom";
            spfDomain = (r.spf().heloIdentity() ? id : id.substring(id.lastIndexOf('@') + 1)).toLowerCase(Locale.ROOT);
            spfResult = r.spf().result().keyword();
        }
        DmarcRow row = new DmarcRow(start.client().remoteIp(), d.fromDomain(), envelopeFrom,
                d.disposition().keyword(), d.dkimAligned() ? "pass" : "fail", d.spfAligned() ? "pass" : "fail",
                dkim, spfDomain, scope, spfResult);
        return Optional.of(new DmarcEvaluation(d.policyDomain(), atMillis, row));
    }
}
