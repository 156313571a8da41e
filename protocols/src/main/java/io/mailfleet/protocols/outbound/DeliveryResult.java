package io.mailfleet.protocols.outbound;

import java.util.List;

/**
 * The result of one delivery attempt.
 *
 * @param recipients one result per recipient, in envelope order
 * @param remoteHost the host that gave the final answer ({@code name[ip]:port}) or null when none answered
 * @param tls        the transaction ran over TLS
 * @param remoteDsn  the remote offered DSN, so NOTIFY was passed on (otherwise the queue owes a
 *                   "relayed" notice to recipients that asked for NOTIFY=SUCCESS)
 * @param tlsAttempts what TLS proved with each host tried in new sessions, in order (for TLS-RPT)
 */
public record DeliveryResult(List<RecipientResult> recipients, String remoteHost, boolean tls, boolean remoteDsn,
                             List<TlsAttempt> tlsAttempts) {
    public DeliveryResult {
        recipients = List.copyOf(recipients);
        tlsAttempts = List.copyOf(tlsAttempts);
    }

    public DeliveryResult(List<RecipientResult> recipients, String remoteHost, boolean tls, boolean remoteDsn) {
        this(recipients, remoteHost, tls, remoteDsn, List.of());
    }

    /** The same result with the sessions' TLS outcomes. */
    public DeliveryResult withTlsAttempts(List<TlsAttempt> attempts) {
        return new DeliveryResult(recipients, remoteHost, tls, remoteDsn, attempts);
    }

    public boolean allDelivered() {
        return recipients.stream().allMatch(r -> r.outcome() == Outcome.DELIVERED);
    }

    public List<RecipientResult> withOutcome(Outcome outcome) {
        return recipients.stream().filter(r -> r.outcome() == outcome).toList();
    }
}
