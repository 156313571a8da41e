package io.mailfleet.server;

import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.postscreen.PassCache;

/**
 * The stage checks of port 25 (DNSBL, greylisting, per-client rate limits) and of the submission ports,
 * the postscreen pass cache the pregreet test of port 25 shares with them, the counter of refusals, and
 * the look-ups that start while a client waits for the banner (the DNSBL test's).
 */
public record SmtpListenerChecks(SmtpChecks mx, SmtpChecks submission, PassCache passes,
                                 io.mailfleet.protocols.smtp.check.RefusalCounter refusals,
                                 java.util.function.Consumer<java.net.InetAddress> onGreetWait) {

    /** No checks on any SMTP listener. */
    public static final SmtpListenerChecks NONE = new SmtpListenerChecks(SmtpChecks.NONE, SmtpChecks.NONE);

    public SmtpListenerChecks(SmtpChecks mx, SmtpChecks submission) {
        this(mx, submission, PassCache.NONE, io.mailfleet.protocols.smtp.check.RefusalCounter.NONE, client -> { });
    }
}
