package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.smtp.SmtpReply;

/** The session-state rules several command families share. */
final class SessionRules {

    static final SmtpReply HELO_FIRST = new SmtpReply(503, "5.5.1", "Error: send HELO/EHLO first");
    static final SmtpReply STARTTLS_FIRST = new SmtpReply(530, "5.7.0", "Must issue a STARTTLS command first");
    static final SmtpReply NEED_MAIL = new SmtpReply(503, "5.5.1", "Error: need MAIL command");
    static final SmtpReply NO_RECIPIENTS = new SmtpReply(554, "5.5.1", "Error: no valid recipients");

    private SessionRules() {
    }

    static boolean tlsAvailable(SmtpContext s) {
        return s.services().tls().enabled();
    }

    /** Port 587 with a certificate: nothing but EHLO, STARTTLS and the like before TLS. */
    static boolean tlsRequiredFirst(SmtpContext s) {
        return s.settings().mode() == SmtpMode.SUBMISSION && tlsAvailable(s) && !s.client().tls();
    }

    /** Submission only, and only over TLS unless TLS is switched off entirely (DMS with empty SSL_TYPE). */
    static boolean authOffered(SmtpContext s) {
        return s.settings().mode().isSubmission() && s.client().login() == null && (s.client().tls() || !tlsAvailable(s));
    }

    /** Replies and answers false unless MAIL, RCPT and DATA may come now (after HELO, after TLS on 587). */
    static boolean transactionAllowed(SmtpContext s) {
        if (s.client().helo() == null) {
            s.reply(HELO_FIRST);
            return false;
        }
        if (tlsRequiredFirst(s)) {
            s.reply(STARTTLS_FIRST);
            return false;
        }
        return true;
    }
}
