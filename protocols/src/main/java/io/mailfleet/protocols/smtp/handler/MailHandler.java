package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.Transaction;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.MailAttempt;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.command.MailRequest;
import io.mailfleet.protocols.smtp.command.SmtpCommandParser;
import io.mailfleet.protocols.smtp.policy.PolicyDecision;
import io.mailfleet.protocols.smtp.policy.SenderValidation;

import java.util.Optional;

/**
 * MAIL FROM: sequence, parameters, the sender address, the sender policy (restrictions, spoofing),
 * then the MAIL-stage {@link SmtpChecks} (none today; SPF goes here). Only then does a transaction open.
 */
final class MailHandler {

    private final SmtpContext s;

    MailHandler(SmtpContext s) {
        this.s = s;
    }

    void mail(String arg) {
        if (!SessionRules.transactionAllowed(s)) {
            return;
        }
        if (s.transaction() != null) {
            s.reply(new SmtpReply(503, "5.5.1", "Error: nested MAIL command"));
            return;
        }
        MailRequest req = SmtpCommandParser.mail(arg, s.settings()).requestOr(r -> {
            if (r.logReason() != null) {
                s.logDecision(null, r.path(), "", "rejected", r.logReason());
            }
            s.reply(r.reply());
        });
        if (req == null) {
            return;
        }
        if (req.requireTls() && !s.client().tls()) {
            // RFC 8689 §4.1: the tag may only come over TLS (the keyword is not offered before it).
            s.reply(new SmtpReply(530, "5.7.10", "REQUIRETLS needs a TLS session: issue STARTTLS first"));
            return;
        }
        Optional<SmtpReply> badAddress = SenderValidation.refusal(req.sender(), req.smtpUtf8());
        if (badAddress.isPresent()) {
            s.reply(badAddress.get());
            return;
        }
        String login = s.client().login();
        // With spoof protection an external directory (LDAP) is asked who may use this sender first.
        if (login == null || req.sender().isEmpty()) {
            judge(req, login);
            return;
        }
        s.await(s.services().directory().prefetch(req.sender(), login), (ignored, lookupFailed) -> {
            if (s.closing() || s.transaction() != null) {
                return;
            }
            if (lookupFailed != null) {
                s.logDecision(null, req.sender(), "", "deferred", "directory unavailable: " + lookupFailed.getMessage());
                s.reply(RcptHandler.directoryUnavailable(req.sender()));
                return;
            }
            judge(req, login);
        });
    }

    private void judge(MailRequest req, String login) {
        PolicyDecision d = s.policy().checkSender(s.services().directory().view(), req.sender(), login);
        if (!d.accepted()) {
            s.logDecision(null, req.sender(), "", "rejected", d.reason());
            s.reply(d.reply());
            return;
        }
        MailAttempt attempt = new MailAttempt(s.client(), req);
        s.await(SmtpChecks.inOrder(s.services().checks().mail(), attempt), (result, err) -> {
            if (s.closing() || s.transaction() != null) {
                return; // the connection went away while a check ran
            }
            if (result instanceof CheckResult.Refuse refused) {
                s.logDecision(null, req.sender(), "", "rejected", refused.reason());
                s.reply(refused.reply());
                return;
            }
            Transaction txn = new Transaction(req);
            if (result instanceof CheckResult.Note note) {
                txn.note(note);
            }
            s.beginTransaction(txn);
            s.reply(d.reply());
        });
    }
}
