package io.mailfleet.protocols.smtp.auth;

import io.mailfleet.core.auth.dmarc.DmarcEvaluator;

/**
 * DMARC at the end of DATA: the evaluator and what a failing message's disposition becomes.
 *
 * @param action enforce (reject refused with 550 5.7.1, quarantine to Junk), quarantine (both to Junk)
 *               or tag (Authentication-Results only, as OpenDMARC's RejectFailures false)
 */
public record DmarcPolicy(DmarcEvaluator evaluator, Action action) {

    /** What Mailfleet does with a disposition the sender's domain asked for. */
    public enum Action {
        ENFORCE, QUARANTINE, TAG
    }
}
