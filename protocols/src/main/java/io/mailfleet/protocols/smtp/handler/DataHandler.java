package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.Transaction;
import io.mailfleet.protocols.smtp.command.BdatRequest;
import io.mailfleet.protocols.smtp.command.SmtpCommandParser;

/**
 * Whether DATA or a BDAT chunk may start; the session then streams the bytes into the message.
 * A refused BDAT chunk is still read (its length is known) and answered once consumed.
 */
final class DataHandler {

    private final SmtpContext s;

    DataHandler(SmtpContext s) {
        this.s = s;
    }

    void data(String arg) {
        if (!SessionRules.transactionAllowed(s)) {
            return;
        }
        if (!arg.isEmpty()) {
            s.reply(new SmtpReply(501, "5.5.4", "Syntax: DATA"));
            return;
        }
        Transaction txn = s.transaction();
        if (txn == null) {
            s.reply(SessionRules.NEED_MAIL);
            return;
        }
        if (txn.bdat()) {
            s.reply(new SmtpReply(503, "5.5.1", "Error: DATA not allowed in a BDAT transaction"));
            return;
        }
        if (txn.recipientCount() == 0) {
            s.reply(SessionRules.NO_RECIPIENTS);
            return;
        }
        s.beginData();
    }

    void bdat(String arg) {
        // a malformed size leaves the chunk's end unknown, so what follows can only be read as commands
        BdatRequest req = SmtpCommandParser.bdat(arg).requestOr(r -> s.reply(r.reply()));
        if (req == null) {
            return;
        }
        Transaction txn = s.transaction();
        SmtpReply refusal = null;
        if (s.client().helo() == null) {
            refusal = SessionRules.HELO_FIRST;
        } else if (SessionRules.tlsRequiredFirst(s)) {
            refusal = SessionRules.STARTTLS_FIRST;
        } else if (txn == null) {
            refusal = SessionRules.NEED_MAIL;
        } else if (txn.recipientCount() == 0) {
            refusal = SessionRules.NO_RECIPIENTS;
        }
        s.beginChunk(req.size(), req.last(), refusal);
    }
}
