package io.mailfleet.protocols.smtp.policy;

import io.mailfleet.protocols.smtp.SmtpReply;

import java.util.List;

/**
 * The outcome of a MAIL or RCPT policy check.
 *
 * @param reply         the reply to send ({@code 250} when accepted)
 * @param reason        a short reason for the log
 * @param localAccounts for an accepted recipient, the local accounts it reaches
 */
public record PolicyDecision(SmtpReply reply, String reason, List<String> localAccounts) {

    public PolicyDecision {
        localAccounts = List.copyOf(localAccounts);
    }

    public boolean accepted() {
        return !reply.isError();
    }

    static PolicyDecision accept(SmtpReply reply, String reason, List<String> accounts) {
        return new PolicyDecision(reply, reason, accounts);
    }

    static PolicyDecision reject(int code, String enhanced, String text, String reason) {
        return new PolicyDecision(new SmtpReply(code, enhanced, text), reason, List.of());
    }
}
