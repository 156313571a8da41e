package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.Transaction;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.RcptAttempt;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.command.RcptRequest;
import io.mailfleet.protocols.smtp.command.SmtpCommandParser;
import io.mailfleet.protocols.smtp.policy.PolicyDecision;
import io.mailfleet.protocols.smtp.policy.RecipientValidation;

/**
 * RCPT TO: sequence, DSN parameters, the recipient limit, {@link RecipientValidation}, the recipient
 * policy (unknown users, relay, quota), then the RCPT-stage {@link SmtpChecks} (greylisting
 * and rate limits go here). Only then is the recipient added to the transaction.
 */
final class RcptHandler {

    /** Postfix's answer when a lookup table (here the directory's LDAP server) fails for {@code address}. */
    static SmtpReply directoryUnavailable(String address) {
        return new SmtpReply(451, "4.3.0", "<" + address + ">: Temporary lookup failure");
    }

    private final SmtpContext s;

    RcptHandler(SmtpContext s) {
        this.s = s;
    }

    void rcpt(String arg) {
        if (!SessionRules.transactionAllowed(s)) {
            return;
        }
        Transaction txn = s.transaction();
        if (txn == null) {
            s.reply(SessionRules.NEED_MAIL);
            return;
        }
        RcptRequest req = SmtpCommandParser.rcpt(arg, s.settings()).requestOr(r -> s.reply(r.reply()));
        if (req == null) {
            return;
        }
        if (txn.recipientCount() >= s.settings().maxRecipients()) {
            s.reply(new SmtpReply(452, "4.5.3", "Error: too many recipients"));
            return;
        }
        CheckResult.Refuse screened = s.sessionRcptRefusal();
        if (screened != null && s.client().login() == null) {
            // postscreen's enforce: the client could talk, no recipient is accepted; the log names them
            s.logDecision(txn.id(), txn.sender(), req.address(), "rejected", screened.reason());
            s.reply(screened.reply());
            return;
        }
        boolean relay = s.client().login() != null || s.trustedClient();
        RecipientValidation.Result checked = RecipientValidation.check(req.address(), txn.smtpUtf8(),
                s.settings().postmasterAddress(), s.settings().mode().isSubmission(), s.client().login(), relay, s.client().helo(),
                s.client().remoteIp());
        if (checked instanceof RecipientValidation.Invalid bad) {
            if (bad.logReason() != null) {
                s.logDecision(txn.id(), txn.sender(), bad.recipient(), "rejected", bad.logReason());
            }
            if (bad.abuseReason() != null) {
                s.abuse(bad.abuseReason());
            }
            s.reply(bad.reply());
            return;
        }
        RecipientValidation.Valid valid = (RecipientValidation.Valid) checked;
        String rcpt = valid.recipient();
        // An external directory (LDAP) looks the recipient up first; one that cannot answer defers it.
        s.await(s.services().directory().prefetch(rcpt, null), (ignored, lookupFailed) -> {
            if (s.closing() || s.transaction() != txn) {
                return;
            }
            if (lookupFailed != null) {
                s.logDecision(txn.id(), txn.sender(), rcpt, "deferred", "directory unavailable: " + lookupFailed.getMessage());
                s.reply(directoryUnavailable(rcpt));
                return;
            }
            judge(txn, req, valid, rcpt, relay);
        });
    }

    private void judge(Transaction txn, RcptRequest req, RecipientValidation.Valid valid, String rcpt, boolean relay) {
        var view = s.services().directory().view();
        PolicyDecision d = valid.barePostmaster() ? s.policy().checkPostmaster(view, rcpt)
                : s.policy().checkRecipient(view, rcpt, relay, txn.declaredSize());
        if (!d.accepted()) {
            s.logDecision(txn.id(), txn.sender(), rcpt, "rejected", d.reason());
            // unknown users (550) and relay attempts (554) are what address harvesters and open-relay
            // probes produce; a full mailbox (552) or a 4xx is nobody's abuse
            if (d.reply().code() == 550 || d.reply().code() == 554) {
                s.abuse(d.reason());
            }
            s.reply(d.reply());
            return;
        }
        CheckResult.Refuse delayed = txn.rcptRefusal(rcpt);
        if (delayed != null) {
            s.logDecision(txn.id(), txn.sender(), rcpt, "rejected", delayed.reason());
            s.reply(delayed.reply());
            return;
        }
        RcptAttempt attempt = new RcptAttempt(s.client(), txn.id(), txn.sender(), req, rcpt, relay, d.localAccounts(),
                txn.facts());
        s.await(SmtpChecks.inOrder(s.services().checks().rcpt(), attempt), (result, err) -> {
            if (s.closing() || s.transaction() != txn) {
                return; // the transaction ended (connection gone) while a check ran
            }
            if (result instanceof CheckResult.Refuse refused) {
                s.logDecision(txn.id(), txn.sender(), rcpt, "rejected", refused.reason());
                s.reply(refused.reply());
                return;
            }
            String stored = valid.address().localPart() + "@" + valid.address().domain();
            txn.addRecipient(new EnvelopeRecipient(stored, req.notifyConditions(), req.orcpt()));
            if (result instanceof CheckResult.Note note) {
                txn.addFacts(note.facts()); // a decision left to the end of data (greylisting a known-good sender)
            }
            txn.addLocalAccounts(d.localAccounts());
            s.reply(d.reply());
        });
    }
}
