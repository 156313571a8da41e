package io.mailfleet.protocols.smtp;

import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.RcptRefusalScope;
import io.mailfleet.protocols.smtp.command.MailRequest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The mail transaction between MAIL and the end of data: the session owns it, the MAIL handler opens
 * it, the RCPT handler adds recipients, DATA/BDAT turn it into an envelope.
 */
public final class Transaction {

    final String id = SmtpIds.newId();
    final String sender;
    final String body;
    final boolean smtpUtf8;
    final String ret;
    final String envId;
    final long declaredSize;
    final boolean requireTls;
    final List<EnvelopeRecipient> recipients = new ArrayList<>();
    final Set<String> localAccounts = new LinkedHashSet<>();
    boolean bdat;
    String traceFields = "";
    /** What MAIL-stage checks found (the SPF outcome), for the end-of-data checks. */
    final List<Object> facts = new ArrayList<>();
    private CheckResult.Refuse rcptRefusal;
    private RcptRefusalScope rcptRefusalScope;

    /** A transaction for an accepted MAIL FROM. */
    public Transaction(MailRequest mail) {
        this.sender = mail.sender();
        this.body = mail.body();
        this.smtpUtf8 = mail.smtpUtf8();
        this.ret = mail.ret();
        this.envId = mail.envId();
        this.declaredSize = mail.declaredSize();
        this.requireTls = mail.requireTls();
    }

    /** MAIL FROM carried REQUIRETLS (RFC 8689): the message may only be relayed over verified TLS. */
    public boolean requireTls() {
        return requireTls;
    }

    /** The SIZE declared at MAIL FROM, -1 when none was. */
    public long declaredSize() {
        return declaredSize;
    }

    /** Remembers the local accounts an accepted recipient reaches (for the quota check at the end of data). */
    public void addLocalAccounts(List<String> accounts) {
        localAccounts.addAll(accounts);
    }

    /** The id in the log and the Received header. */
    public String id() {
        return id;
    }

    /** The reverse-path, empty for the null sender. */
    public String sender() {
        return sender;
    }

    /** Opened with SMTPUTF8: recipients may be non-ASCII. */
    public boolean smtpUtf8() {
        return smtpUtf8;
    }

    /** The data comes in BDAT chunks (DATA is then refused). */
    public boolean bdat() {
        return bdat;
    }

    /** The accepted recipients so far. */
    public int recipientCount() {
        return recipients.size();
    }

    /** Adds an accepted recipient. */
    public void addRecipient(EnvelopeRecipient recipient) {
        recipients.add(recipient);
    }

    /** Keeps what a MAIL-stage check noted: trace fields for the message, a refusal for every RCPT. */
    public void note(CheckResult.Note note) {
        traceFields += note.traceFields();
        facts.addAll(note.facts());
        if (rcptRefusal == null && note.atRcpt() != null) {
            rcptRefusal = note.atRcpt();
            rcptRefusalScope = note.facts().stream().filter(RcptRefusalScope.class::isInstance)
                    .map(RcptRefusalScope.class::cast).filter(s -> s.refusal() == note.atRcpt())
                    .findFirst().orElse(null);
        }
    }

    /** What the MAIL and RCPT checks of this transaction noted so far, in order. */
    public List<Object> facts() {
        return List.copyOf(facts);
    }

    /** Keeps what a RCPT-stage check noted of an accepted recipient, for the end-of-data checks. */
    public void addFacts(List<Object> more) {
        facts.addAll(more);
    }

    /** The refusal every RCPT of this transaction gets, or null. */
    public CheckResult.Refuse rcptRefusal() {
        return rcptRefusal;
    }

    /** The delayed refusal {@code recipient} gets (a check may have narrowed it to some recipients), or null. */
    public CheckResult.Refuse rcptRefusal(String recipient) {
        return rcptRefusal == null || rcptRefusalScope == null || rcptRefusalScope.recipients().test(recipient)
                ? rcptRefusal : null;
    }
}
