package io.mailfleet.protocols.smtp.check;

import io.mailfleet.protocols.smtp.command.RcptRequest;

import java.util.List;

/**
 * A RCPT TO that passed syntax, address and recipient policy; a refusal leaves this recipient out of
 * the transaction.
 *
 * @param transactionId the transaction's id in the log
 * @param sender        the transaction's reverse-path, empty for the null sender
 * @param recipient     the forward-path as it will be stored ({@code postmaster} already rewritten)
 * @param relay         whether the client may relay (authenticated or in a trusted network)
 * @param localAccounts the local accounts the recipient reaches (empty when relayed)
 */
public record RcptAttempt(SmtpPeer client, String transactionId, String sender, RcptRequest request,
                          String recipient, boolean relay, List<String> localAccounts) {

    public RcptAttempt {
        localAccounts = List.copyOf(localAccounts);
    }
}
