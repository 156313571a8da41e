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
 * @param facts         what the MAIL-stage checks of the transaction found (the SPF outcome)
 */
public record RcptAttempt(SmtpPeer client, String transactionId, String sender, RcptRequest request,
                          String recipient, boolean relay, List<String> localAccounts, List<Object> facts) {

    public RcptAttempt {
        localAccounts = List.copyOf(localAccounts);
        facts = List.copyOf(facts);
    }

    /** An attempt without facts from the MAIL stage. */
    public RcptAttempt(SmtpPeer client, String transactionId, String sender, RcptRequest request,
                       String recipient, boolean relay, List<String> localAccounts) {
        this(client, transactionId, sender, request, recipient, relay, localAccounts, List.of());
    }

    /** The first fact of {@code type} a MAIL-stage check noted. */
    public <T> java.util.Optional<T> fact(Class<T> type) {
        return facts.stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
