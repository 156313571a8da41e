package io.mailfleet.server;

import io.mailfleet.protocols.smtp.check.SmtpChecks;

/** The stage checks of port 25 (greylisting, per-client rate limits) and of the submission ports. */
public record SmtpListenerChecks(SmtpChecks mx, SmtpChecks submission) {

    /** No checks on any SMTP listener. */
    public static final SmtpListenerChecks NONE = new SmtpListenerChecks(SmtpChecks.NONE, SmtpChecks.NONE);
}
