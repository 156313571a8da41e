package io.mailfleet.protocols.smtp.auth;

import io.mailfleet.core.auth.dmarc.DmarcEvaluator;
import io.mailfleet.core.auth.dmarc.report.DmarcFailureReporter;
import io.mailfleet.core.auth.dmarc.report.DmarcReportStore;

/**
 * DMARC at the end of DATA: the evaluator, what a failing message's disposition becomes, and where
 * evaluations are recorded for aggregate reports and considered for failure reports.
 *
 * @param action   enforce (reject refused with 550 5.7.1, quarantine to Junk), quarantine (both to Junk)
 *                 or tag (Authentication-Results only, as OpenDMARC's RejectFailures false)
 * @param reports  records every evaluation under a DMARC record ({@link DmarcReportStore#none()} when reports are off)
 * @param failures considers messages for failure reports ({@link DmarcFailureReporter#none()} when off)
 */
public record DmarcPolicy(DmarcEvaluator evaluator, Action action, DmarcReportStore reports,
                          DmarcFailureReporter failures) {

    /** Without failure reports. */
    public DmarcPolicy(DmarcEvaluator evaluator, Action action, DmarcReportStore reports) {
        this(evaluator, action, reports, DmarcFailureReporter.none());
    }

    /** Without aggregate or failure reports. */
    public DmarcPolicy(DmarcEvaluator evaluator, Action action) {
        this(evaluator, action, DmarcReportStore.none());
    }

    /** What Mailfleet does with a disposition the sender's domain asked for, from the strictest to the most lenient. */
    public enum Action {
        ENFORCE, QUARANTINE, TAG
    }
}
