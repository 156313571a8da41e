package io.mailfleet.protocols.smtp.check;

import java.util.List;

/**
 * A message whose data is about to stream in: the transaction as the end-of-data checks first see it.
 *
 * @param transactionId the transaction's id in the log
 * @param sender        the reverse-path, empty for the null sender
 * @param recipients    the accepted forward-paths in RCPT order
 * @param relay         whether the client may relay (authenticated or in a trusted network): content
 *                      filters usually leave such mail alone, as docker-mailserver's do
 * @param facts         what the MAIL and RCPT checks found, such as the SPF outcome
 * @param localAccounts the local accounts the recipients reach (aliases expanded), empty when relayed
 */
public record MessageStart(SmtpPeer client, String transactionId, String sender, List<String> recipients,
                           boolean relay, List<Object> facts, List<String> localAccounts) {

    public MessageStart {
        recipients = List.copyOf(recipients);
        facts = List.copyOf(facts);
        localAccounts = List.copyOf(localAccounts);
    }

    /** A start whose local accounts are not known. */
    public MessageStart(SmtpPeer client, String transactionId, String sender, List<String> recipients,
                        boolean relay, List<Object> facts) {
        this(client, transactionId, sender, recipients, relay, facts, List.of());
    }

    /** A start without facts from earlier checks. */
    public MessageStart(SmtpPeer client, String transactionId, String sender, List<String> recipients,
                        boolean relay) {
        this(client, transactionId, sender, recipients, relay, List.of());
    }

    /** The first fact of {@code type} an earlier check of the transaction noted. */
    public <T> java.util.Optional<T> fact(Class<T> type) {
        return facts.stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
