package io.mailfleet.server;

import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.postscreen.PassCache;

/**
 * The stage checks of port 25 (DNSBL, greylisting, per-client rate limits) and of the submission ports,
 * the postscreen pass cache the pregreet test of port 25 shares with them, and the counter of refusals.
 */
public record SmtpListenerChecks(SmtpChecks mx, SmtpChecks submission, PassCache passes,
                                 io.mailfleet.protocols.smtp.check.RefusalCounter refusals) {

    /** No checks on any SMTP listener. */
    public static final SmtpListenerChecks NONE = new SmtpListenerChecks(SmtpChecks.NONE, SmtpChecks.NONE);

    public SmtpListenerChecks(SmtpChecks mx, SmtpChecks submission) {
        this(mx, submission, PassCache.NONE, io.mailfleet.protocols.smtp.check.RefusalCounter.NONE);
    }
}
