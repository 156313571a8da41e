package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.ConnectAttempt;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The 220 banner, after the connect-stage checks (rate limits, DNSBL) let the client in. */
final class GreetingHandler {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp");

    private final SmtpContext s;

    GreetingHandler(SmtpContext s) {
        this.s = s;
    }

    void greet() {
        s.await(SmtpChecks.inOrder(s.services().checks().connect(), new ConnectAttempt(s.client())), (result, err) -> {
            if (s.closing()) {
                return;
            }
            if (result instanceof CheckResult.Refuse refused) {
                LOG.info("session={} client={} refused at connect: {}", s.client().sessionId(), s.client().remoteIp(), refused.reason());
                s.close(refused.reply());
                return;
            }
            if (result instanceof CheckResult.Note note) {
                s.screened(note);
            }
            s.send(new SmtpReply(220, "", s.settings().hostname() + " ESMTP"));
        });
    }
}
